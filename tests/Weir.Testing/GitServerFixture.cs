using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// A real git server: git's own <c>git http-backend</c> (smart HTTP, protocol v2) run as CGI behind Kestrel, over
/// plain HTTP and over HTTPS with a test CA, and OpenSSH's <c>sshd</c> with key authentication only.
/// <c>/anon/NAME.git</c> serves anonymously; <c>/auth/NAME.git</c> wants basic auth with
/// <see cref="Username"/>/<see cref="Password"/> or the bearer <see cref="Token"/>; ssh wants <see cref="SshIdentity"/>
/// and presents the host key in <see cref="SshKnownHosts"/>.
/// Repositories are bare repositories under <see cref="Root"/>, written through <see cref="TestGitRepository"/>.
/// </summary>
public sealed class GitServerFixture : IAsyncLifetime
{
    private WebApplication? _app;
    private Process? _sshd;

    public string Root { get; } = TestEnv.TempDir("weir-git-server-");

    public string Username { get; } = "gitops";

    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N")[..16];

    public string Token { get; } = "tok-" + Guid.NewGuid().ToString("N");

    /// <summary>The test CA (a self-signed certificate for 127.0.0.1), PEM.</summary>
    public string CaPem { get; private set; } = "";

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    /// <summary>Requests served, by path: tests see whether a reconcile fetched.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Requests { get; } = new();

    public string AnonymousUrl(string name) => $"http://127.0.0.1:{HttpPort}/anon/{name}.git";

    public string AuthUrl(string name) => $"http://127.0.0.1:{HttpPort}/auth/{name}.git";

    public string HttpsUrl(string name) => $"https://127.0.0.1:{HttpsPort}/auth/{name}.git";

    public int SshPort { get; private set; }

    /// <summary>The private key sshd accepts (OpenSSH format).</summary>
    public string SshIdentity { get; private set; } = "";

    /// <summary>A known_hosts line for the server's host key.</summary>
    public string SshKnownHosts { get; private set; } = "";

    public string SshUrl(string name) => $"ssh://{Environment.UserName}@127.0.0.1:{SshPort}{Root}/{name}.git";

    /// <summary>A new empty repository on the server, with a working copy to commit and push from.</summary>
    public Task<TestGitRepository> CreateRepositoryAsync(string name, string branch = "main") =>
        TestGitRepository.CreateAsync(Path.Combine(Root, name + ".git"), branch);

    public async Task InitializeAsync()
    {
        var certificate = TestCertificates.SelfSignedLoopback("weir-test-git");
        CaPem = certificate.ExportCertificatePem();

        HttpPort = TestEnv.FreePort();
        HttpsPort = TestEnv.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, HttpPort);
            k.Listen(IPAddress.Loopback, HttpsPort, l => l.UseHttps(certificate));
        });
        _app = builder.Build();
        _app.Run(ServeAsync);
        await _app.StartAsync();
        await StartSshdAsync();
    }

    private async Task StartSshdAsync()
    {
        var dir = TestEnv.TempDir("weir-sshd-");
        foreach (var key in new[] { "host", "client" })
        {
            var (code, _, error) = await TestProcess.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", key, "-f", Path.Combine(dir, key)]);
            Assert.True(code == 0, "ssh-keygen failed: " + error);
        }

        File.Copy(Path.Combine(dir, "client.pub"), Path.Combine(dir, "authorized_keys"));
        SshIdentity = await File.ReadAllTextAsync(Path.Combine(dir, "client"));
        SshPort = TestEnv.FreePort();
        SshKnownHosts = $"[127.0.0.1]:{SshPort} {(await File.ReadAllTextAsync(Path.Combine(dir, "host.pub"))).Trim()}\n";
        var config = Path.Combine(dir, "sshd_config");
        await File.WriteAllTextAsync(config, $"""
            Port {SshPort}
            ListenAddress 127.0.0.1
            HostKey {dir}/host
            AuthorizedKeysFile {dir}/authorized_keys
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            StrictModes no
            UsePAM no
            PidFile {dir}/sshd.pid
            LogLevel ERROR

            """);
        // sshd refuses to start without its privilege separation directory (created by the init script normally).
        Directory.CreateDirectory("/run/sshd");
        _sshd = Process.Start(new ProcessStartInfo("/usr/sbin/sshd", ["-D", "-e", "-f", config])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, SshPort);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (!_sshd.HasExited)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail("sshd did not start: " + (_sshd.HasExited ? await _sshd.StandardError.ReadToEndAsync() : "no listener"));
    }

    public async Task DisposeAsync()
    {
        if (_sshd is { HasExited: false })
        {
            _sshd.Kill(entireProcessTree: true);
            await _sshd.WaitForExitAsync();
        }

        _sshd?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(Root, recursive: true);
    }

    private async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue(path);
        string pathInfo;
        if (path.StartsWith("/anon/", StringComparison.Ordinal))
        {
            pathInfo = path["/anon".Length..];
        }
        else if (path.StartsWith("/auth/", StringComparison.Ordinal))
        {
            if (!Authorized(context.Request.Headers.Authorization.ToString()))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"weir-test-git\"";
                return;
            }

            pathInfo = path["/auth".Length..];
        }
        else
        {
            context.Response.StatusCode = 404;
            return;
        }

        await RunBackendAsync(context, pathInfo);
    }

    private bool Authorized(string header) =>
        header == "Bearer " + Token
        || header == "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    private async Task RunBackendAsync(HttpContext context, string pathInfo)
    {
        var start = new ProcessStartInfo("git", "http-backend")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var request = context.Request;
        start.Environment["GIT_PROJECT_ROOT"] = Root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["PATH_INFO"] = pathInfo;
        start.Environment["REQUEST_METHOD"] = request.Method;
        start.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        start.Environment["REMOTE_ADDR"] = "127.0.0.1";
        start.Environment["GIT_PROTOCOL"] = request.Headers["Git-Protocol"].ToString();
        start.Environment["HTTP_CONTENT_ENCODING"] = request.Headers.ContentEncoding.ToString();
        if (request.ContentLength is { } length)
        {
            start.Environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(start)!;
        var input = Task.Run(async () =>
        {
            await request.Body.CopyToAsync(process.StandardInput.BaseStream);
            process.StandardInput.Close();
        });
        var errors = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await input;
        await process.WaitForExitAsync();
        await errors;

        var bytes = output.GetBuffer().AsMemory(0, (int)output.Length);
        var headerEnd = IndexOfBlankLine(bytes.Span, out var separator);
        var headers = Encoding.ASCII.GetString(bytes.Span[..headerEnd]).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':');
            var (name, value) = (header[..colon], header[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers.Append(name, value);
            }
        }

        await context.Response.Body.WriteAsync(bytes[(headerEnd + separator)..]);
    }

    private static int IndexOfBlankLine(ReadOnlySpan<byte> data, out int separatorLength)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf >= 0 ? lf : throw new InvalidDataException("git http-backend wrote no header block");
    }
}

/// <summary>A bare repository served by <see cref="GitServerFixture"/> and a working copy that commits and pushes to it.</summary>
public sealed class TestGitRepository
{
    private TestGitRepository(string bare, string work, string branch) => (Bare, Work, Branch) = (bare, work, branch);

    public string Bare { get; }

    public string Work { get; }

    public string Branch { get; }

    public static async Task<TestGitRepository> CreateAsync(string bare, string branch)
    {
        var work = TestEnv.TempDir("weir-git-work-");
        await GitAsync(null, "init", "-q", "--bare", "-b", branch, bare);
        await GitAsync(work, "init", "-q", "-b", branch);
        await GitAsync(work, "remote", "add", "origin", bare);
        return new TestGitRepository(bare, work, branch);
    }

    /// <summary>Writes the files (a null content deletes), commits them and pushes the branch; returns the commit hash.</summary>
    public async Task<string> CommitAsync(IReadOnlyDictionary<string, string?> files, string message = "update", string? branch = null)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(Work, path);
            if (content is null)
            {
                File.Delete(full);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
        }

        await GitAsync(Work, "add", "-A");
        await GitAsync(Work, "commit", "-q", "--allow-empty", "-m", message);
        await GitAsync(Work, "push", "-q", "-f", "origin", $"HEAD:refs/heads/{branch ?? Branch}");
        return await HeadAsync();
    }

    public async Task<string> HeadAsync() => (await GitAsync(Work, "rev-parse", "HEAD")).Trim();

    /// <summary>Tags HEAD (annotated when a message is given) and pushes the tag.</summary>
    public async Task TagAsync(string tag, string? message = null)
    {
        if (message is null)
        {
            await GitAsync(Work, "tag", "-f", tag);
        }
        else
        {
            await GitAsync(Work, "tag", "-f", "-a", tag, "-m", message);
        }

        await GitAsync(Work, "push", "-q", "-f", "origin", $"refs/tags/{tag}");
    }

    /// <summary>Runs git in the working copy (an author is set); throws with git's output on failure.</summary>
    public Task<string> RunAsync(params string[] arguments) => GitAsync(Work, arguments);

    private static async Task<string> GitAsync(string? directory, params string[] arguments)
    {
        var args = new List<string> { "-c", "user.name=Weir Test", "-c", "user.email=test@weir.invalid", "-c", "commit.gpgsign=false" };
        if (directory is not null)
        {
            args.AddRange(["-C", directory]);
        }

        args.AddRange(arguments);
        var (code, output, error) = await TestProcess.RunAsync("git", args);
        Assert.True(code == 0, $"git {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}
