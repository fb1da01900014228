using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Weir.Oci.Auth;
using Weir.Oci.Registry;

using Xunit;

namespace Weir.Testing;

/// <summary>Temp directories and free ports for tests.</summary>
public static class TestEnv
{
    public static string TempDir(string prefix = "weir-oci-")
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A small artifact source tree: a kustomize overlay, a <c>.git</c> directory and a file Flux's defaults ignore.</summary>
    public static string SampleDir(string marker)
    {
        var dir = TempDir();
        Directory.CreateDirectory(Path.Combine(dir, "deploy", "base"));
        Directory.CreateDirectory(Path.Combine(dir, ".git"));
        File.WriteAllText(Path.Combine(dir, "deploy", "base", "deployment.yaml"), $"kind: Deployment\nmarker: {marker}\n");
        File.WriteAllText(Path.Combine(dir, "deploy", "kustomization.yaml"), "resources: [base]\n");
        File.WriteAllText(Path.Combine(dir, ".git", "HEAD"), "ref: refs/heads/main\n");
        File.WriteAllText(Path.Combine(dir, "logo.png"), "png");
        return dir;
    }

    /// <summary>True once something accepts connections on the loopback <paramref name="port"/> (waits up to 5 s).</summary>
    public static async Task<bool> ListeningAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        return false;
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

/// <summary>Debian's docker-registry on a free loopback port with a temp config and storage.</summary>
public class DockerRegistryFixture : IAsyncLifetime
{
    private readonly bool _withAuth;
    private readonly bool _withTls;
    private Process? _process;
    private string _dir = "";

    public DockerRegistryFixture() : this(false) { }

    protected DockerRegistryFixture(bool withAuth, bool withTls = false)
    {
        _withAuth = withAuth;
        _withTls = withTls;
    }

    /// <summary>The self-signed certificate served when TLS is on.</summary>
    public X509Certificate2? Certificate { get; private set; }

    public string Host { get; private set; } = "";

    public RegistryCredentials? Credentials { get; private set; }

    private string _config = "";

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists("/usr/bin/docker-registry"), "docker-registry is not installed (run scripts/install-test-deps)");
        _dir = TestEnv.TempDir("weir-docker-registry-");
        var port = TestEnv.FreePort();
        Host = $"127.0.0.1:{port}";
        var auth = "";
        if (_withAuth)
        {
            Credentials = new RegistryCredentials("weir", Guid.NewGuid().ToString("N"));
            var (code, line, err) = await TestProcess.RunAsync("htpasswd", ["-Bbn", Credentials.Username, Credentials.Password]);
            Assert.True(code == 0, "htpasswd failed: " + err);
            await File.WriteAllTextAsync(Path.Combine(_dir, "htpasswd"), line.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: weir-test\n    path: {_dir}/htpasswd\n";
        }
        var tls = "";
        if (_withTls)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=weir-test-registry", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            Certificate = X509CertificateLoader.LoadCertificate(cert.Export(X509ContentType.Cert));
            await File.WriteAllTextAsync(Path.Combine(_dir, "tls.crt"), cert.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(_dir, "tls.key"), key.ExportPkcs8PrivateKeyPem());
            tls = $"  tls:\n    certificate: {_dir}/tls.crt\n    key: {_dir}/tls.key\n";
        }
        _config = Path.Combine(_dir, "config.yml");
        await File.WriteAllTextAsync(_config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {_dir}/data
              delete:
                enabled: true
            http:
              addr: {Host}
            {tls}
            {auth}
            """);
        await StartAsync();
    }

    /// <summary>Starts the registry process (again, after StopAsync) on the same port and storage.</summary>
    public async Task StartAsync()
    {
        _process = await LaunchAsync(_config, $"{(_withTls ? "https" : "http")}://{Host}/v2/");
    }

    /// <summary>Starts <c>docker-registry serve CONFIG</c> and waits until <paramref name="probe"/> answers.</summary>
    public static async Task<Process> LaunchAsync(string config, string probe)
    {
        var process = TestProcess.Start("/usr/bin/docker-registry", ["serve", config]);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var r = await http.GetAsync(probe);
                return process;
            }
            catch (HttpRequestException)
            {
                Assert.False(process.HasExited, "docker-registry exited at start");
                await Task.Delay(100);
            }
        }

        process.Kill();
        throw new TimeoutException("docker-registry did not start");
    }

    /// <summary>Kills the registry process, as an outage would.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>docker-registry serving HTTPS with a self-signed certificate.</summary>
public sealed class TlsDockerRegistryFixture() : DockerRegistryFixture(withAuth: false, withTls: true);

/// <summary>docker-registry with htpasswd basic auth.</summary>
public sealed class AuthDockerRegistryFixture() : DockerRegistryFixture(withAuth: true);

/// <summary>Our embedded registry on a free loopback port.</summary>
public class WeirRegistryFixture : IAsyncLifetime
{
    private readonly RegistryCredentials? _auth;
    private RegistryServer? _server;
    private string _dir = "";

    public WeirRegistryFixture() : this(null) { }

    protected WeirRegistryFixture(RegistryCredentials? auth) => _auth = auth;

    public string Host => _server!.Host;

    public RegistryCredentials? Credentials => _auth;

    public async Task InitializeAsync()
    {
        _dir = TestEnv.TempDir("weir-registry-");
        _server = await RegistryServer.StartAsync(new RegistryServerOptions { DataDirectory = _dir, BasicAuth = _auth });
    }

    public async Task DisposeAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Our embedded registry with basic auth.</summary>
public sealed class AuthWeirRegistryFixture() : WeirRegistryFixture(new RegistryCredentials("weir", Guid.NewGuid().ToString("N")));
