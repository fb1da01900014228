using System.Diagnostics;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// A real forward HTTP proxy: Debian's <c>tinyproxy</c> (installed by scripts/install-test-deps) in the foreground on
/// a free loopback port, wanting basic auth with <see cref="Username"/>/<see cref="Password"/>. Its log names every
/// request it was asked to forward (<see cref="Requests"/>), so tests can tell that traffic went through it.
/// </summary>
public sealed class ProxyServerFixture : IAsyncLifetime
{
    private readonly string _dir = TestEnv.TempDir("weir-tinyproxy-");
    private Process? _process;

    public int Port { get; private set; }

    public string Address => $"http://127.0.0.1:{Port}";

    public string Username { get; } = "proxy-user";

    public string Password { get; } = "proxy-pw-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The request lines tinyproxy logged so far (<c>GET http://host/path HTTP/1.1</c>, <c>CONNECT host:port HTTP/1.1</c>).</summary>
    public IReadOnlyList<string> Requests()
    {
        var log = Path.Combine(_dir, "tinyproxy.log");
        if (!File.Exists(log))
        {
            return [];
        }

        using var reader = new StreamReader(new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return [.. reader.ReadToEnd().Split('\n').Where(l => l.Contains("]: Request (file descriptor", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("): ", StringComparison.Ordinal) + 3)..].Trim())];
    }

    public async Task InitializeAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = TestEnv.FreePort();
            var config = Path.Combine(_dir, "tinyproxy.conf");
            await File.WriteAllTextAsync(config, $"""
                Port {Port}
                Listen 127.0.0.1
                Timeout 30
                LogFile "{_dir}/tinyproxy.log"
                LogLevel Info
                MaxClients 50
                BasicAuth {Username} {Password}

                """);
            _process = TestProcess.Start("tinyproxy", ["-d", "-c", config]);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            if (await TestEnv.ListeningAsync(Port))
            {
                return;
            }

            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException("tinyproxy did not start; run scripts/install-test-deps");
            }
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }
}
