using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// A real S3-compatible server: npm's <c>s3rver</c> (installed into <c>.tools/s3rver</c> by scripts/install-test-deps)
/// on a free loopback port, path-style, with its own access keys (<see cref="AccessKey"/>/<see cref="SecretKey"/>).
/// Objects are written with AWSSDK.S3; every GET the server answers is recorded (<see cref="Gets"/>), so tests can tell
/// which objects a client downloaded.
/// </summary>
public sealed class S3ServerFixture : IAsyncLifetime
{
    // Starts s3rver with a middleware in front of its routes that prints each GET, and an extra key pair.
    private const string Launcher = """
        const [lib, dir, port, access, secret, key, cert] = process.argv.slice(2);
        const S3rver = require(lib);
        const tls = key ? { key: require('fs').readFileSync(key), cert: require('fs').readFileSync(cert) } : {};
        require(lib + '/lib/models/account').DUMMY_ACCOUNT.createKeyPair(access, secret);
        const server = new S3rver({ address: '127.0.0.1', port: Number(port), directory: dir, silent: true, vhostBuckets: false, ...tls });
        server.middleware.unshift(async (ctx, next) => { if (ctx.method === 'GET') console.log('GET ' + ctx.url); await next(); });
        server.run().then(() => console.log('READY'), e => { console.error(e); process.exit(1); });
        """;

    private readonly ConcurrentQueue<string> _gets = new();
    private readonly string _dir = TestEnv.TempDir("weir-s3rver-");
    private readonly List<Process> _processes = [];
    private readonly Lazy<Task<(string, string)>> _tls;
    private AmazonS3Client? _client;

    public S3ServerFixture() => _tls = new(StartTlsAsync);

    /// <summary>Host and port, as a Bucket's <c>spec.endpoint</c> names them (plain HTTP: <c>insecure: true</c>).</summary>
    public string Endpoint { get; private set; } = "";

    public string AccessKey { get; } = "weir-access";

    public string SecretKey { get; } = "secret-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The request targets (path and query) of every GET answered so far.</summary>
    public IReadOnlyList<string> Gets => [.. _gets];

    public async Task InitializeAsync()
    {
        var port = TestEnv.FreePort();
        Endpoint = $"127.0.0.1:{port}";
        await StartServerAsync(port, []);
        _client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), new AmazonS3Config
        {
            ServiceURL = $"http://{Endpoint}",
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    /// <summary>
    /// A second s3rver over HTTPS on the same data (started on first use): its host and port, and the PEM of the
    /// self-signed certificate it presents, which a client must trust as its CA.
    /// </summary>
    public Task<(string Endpoint, string CaPem)> TlsAsync() => _tls.Value;

    private async Task<(string, string)> StartTlsAsync()
    {
        using var certificate = TestCertificates.SelfSignedLoopback("weir-test-s3");
        var caPem = certificate.ExportCertificatePem();
        var key = Path.Combine(_dir, "tls.key");
        var cert = Path.Combine(_dir, "tls.crt");
        await File.WriteAllTextAsync(key, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(cert, caPem);
        var port = TestEnv.FreePort();
        await StartServerAsync(port, [key, cert]);
        return ($"127.0.0.1:{port}", caPem);
    }

    private async Task StartServerAsync(int port, string[] tls)
    {
        var module = TestPaths.Require(Path.Combine(TestPaths.RepoRoot, ".tools", "s3rver", "node_modules", "s3rver"),
            "s3rver (npm)", "run scripts/install-test-deps");
        var launcher = Path.Combine(_dir, "launch.cjs");
        await File.WriteAllTextAsync(launcher, Launcher);
        var data = Path.Combine(_dir, "data");
        Directory.CreateDirectory(data);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = TestProcess.Start("node", [launcher, module, data, port.ToString(), AccessKey, SecretKey, .. tls]);
        _processes.Add(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is "READY")
            {
                ready.TrySetResult();
            }
            else if (e.Data?.StartsWith("GET ", StringComparison.Ordinal) == true)
            {
                _gets.Enqueue(e.Data[4..]);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("s3rver exited at start"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task CreateBucketAsync(string bucket) => _client!.PutBucketAsync(new PutBucketRequest { BucketName = bucket });

    public Task PutAsync(string bucket, string key, string content) =>
        _client!.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = content, UseChunkEncoding = false });

    public Task DeleteAsync(string bucket, string key) =>
        _client!.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key });

    /// <summary>How many GETs of <paramref name="bucket"/>/<paramref name="key"/> were answered.</summary>
    public int GetsOf(string bucket, string key) => Gets.Count(g => g == $"/{bucket}/{key}");

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
