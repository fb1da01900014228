using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Helm.Charts;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// A real Helm chart repository: nginx (run in the foreground by the fixture, with its own configuration, on free
/// ports) serving <see cref="Root"/> — one directory per repository holding <c>index.yaml</c> and chart archives, as
/// <c>helm repo index</c> lays them out. <c>/public/REPO</c> is anonymous, <c>/private/REPO</c> wants basic auth
/// (<see cref="Username"/>/<see cref="Password"/>, an htpasswd file), and over HTTPS (a test CA in
/// <see cref="CaPem"/>) <c>/mtls/REPO</c> wants the client certificate <see cref="ClientCertPem"/>.
/// </summary>
public sealed class ChartRepositoryServer : IAsyncLifetime
{
    private readonly string _dir = TestEnv.TempDir("weir-chart-server-");
    private Process? _nginx;

    public string Root => Path.Combine(_dir, "www");

    public string Username { get; } = "charts";

    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N")[..16];

    public string CaPem { get; private set; } = "";

    public string ClientCertPem { get; private set; } = "";

    public string ClientKeyPem { get; private set; } = "";

    public int HttpPort { get; private set; }

    public int HttpsPort { get; private set; }

    public string PublicUrl(string repository) => $"http://127.0.0.1:{HttpPort}/public/{repository}";

    public string PrivateUrl(string repository) => $"http://127.0.0.1:{HttpPort}/private/{repository}";

    public string HttpsUrl(string repository) => $"https://127.0.0.1:{HttpsPort}/public/{repository}";

    public string MtlsUrl(string repository) => $"https://127.0.0.1:{HttpsPort}/mtls/{repository}";

    /// <summary>Lines of nginx's access log: <c>STATUS METHOD PATH</c>.</summary>
    public IReadOnlyList<string> Requests() =>
        File.Exists(Path.Combine(_dir, "access.log")) ? File.ReadAllLines(Path.Combine(_dir, "access.log")) : [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(_dir, "tmp"));
        WriteCertificates();
        await TestProcess.RunAsync("htpasswd", ["-b", "-c", "-m", Path.Combine(_dir, "htpasswd"), Username, Password], timeout: TimeSpan.FromSeconds(30));

        for (var attempt = 0; ; attempt++)
        {
            HttpPort = TestEnv.FreePort();
            HttpsPort = TestEnv.FreePort();
            File.WriteAllText(Path.Combine(_dir, "nginx.conf"), Config());
            _nginx = TestProcess.Start("nginx", ["-p", _dir, "-c", Path.Combine(_dir, "nginx.conf"), "-e", Path.Combine(_dir, "error.log")]);
            if (await ListeningAsync(HttpPort) && await ListeningAsync(HttpsPort))
            {
                return;
            }

            var log = File.Exists(Path.Combine(_dir, "error.log")) ? File.ReadAllText(Path.Combine(_dir, "error.log")) : "";
            Stop();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"nginx did not start: {log}");
            }
        }
    }

    public Task DisposeAsync()
    {
        Stop();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Adds a chart archive to <paramref name="repository"/> and writes its index again, as <c>helm repo index</c> does.</summary>
    public void Publish(string repository, byte[] archive)
    {
        var dir = Path.Combine(Root, repository);
        Directory.CreateDirectory(dir);
        var metadata = new ChartLoader().LoadArchive(new MemoryStream(archive)).Metadata;
        File.WriteAllBytes(Path.Combine(dir, $"{metadata.Name}-{metadata.Version}.tgz"), archive);
        WriteIndex(repository, Index(dir));
    }

    /// <summary>Replaces a repository's <c>index.yaml</c> with <paramref name="content"/> (for broken indexes).</summary>
    public void WriteIndex(string repository, string content)
    {
        var dir = Path.Combine(Root, repository);
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, ".index.tmp");
        File.WriteAllText(temp, content);
        File.Move(temp, Path.Combine(dir, "index.yaml"), overwrite: true);
    }

    private static string Index(string dir)
    {
        var entries = new SortedDictionary<string, JsonArray>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(dir, "*.tgz").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var entry = new ChartLoader().LoadArchive(new MemoryStream(bytes)).Metadata.ToJson();
            entry["urls"] = new JsonArray(Path.GetFileName(file));
            entry["created"] = File.GetLastWriteTimeUtc(file).ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
            entry["digest"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var name = entry["name"]!.GetValue<string>();
            if (!entries.TryGetValue(name, out var list))
            {
                entries[name] = list = [];
            }

            list.Add(entry);
        }

        var index = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["entries"] = new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["generated"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        };
        return KubeYaml.Serialize(index);
    }

    private string Config() => $$"""
        pid {{_dir}}/nginx.pid;
        error_log {{_dir}}/error.log;
        daemon off;
        master_process off;
        events { worker_connections 256; }
        http {
          log_format short '$status $request_method $uri';
          access_log {{_dir}}/access.log short;
          client_body_temp_path {{_dir}}/tmp/body;
          proxy_temp_path {{_dir}}/tmp/proxy;
          fastcgi_temp_path {{_dir}}/tmp/fastcgi;
          uwsgi_temp_path {{_dir}}/tmp/uwsgi;
          scgi_temp_path {{_dir}}/tmp/scgi;
          types { application/x-yaml yaml; application/gzip tgz; }
          server {
            listen 127.0.0.1:{{HttpPort}};
            location /public/ { alias {{Root}}/; }
            location /private/ { alias {{Root}}/; auth_basic "charts"; auth_basic_user_file {{_dir}}/htpasswd; }
          }
          server {
            listen 127.0.0.1:{{HttpsPort}} ssl;
            ssl_certificate {{_dir}}/server.crt;
            ssl_certificate_key {{_dir}}/server.key;
            ssl_client_certificate {{_dir}}/client-ca.crt;
            ssl_verify_client optional;
            location /public/ { alias {{Root}}/; }
            location /mtls/ {
              if ($ssl_client_verify != SUCCESS) { return 403; }
              alias {{Root}}/;
            }
          }
        }
        """;

    private void WriteCertificates()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=weir-test-chart-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        CaPem = ca.ExportCertificatePem();

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(san.Build());
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        File.WriteAllText(Path.Combine(_dir, "server.crt"), server.ExportCertificatePem() + "\n" + CaPem);
        File.WriteAllText(Path.Combine(_dir, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());

        using var clientKey = RSA.Create(2048);
        var clientRequest = new CertificateRequest("CN=weir-test-client", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        clientRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var client = clientRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [5, 6, 7, 8]);
        ClientCertPem = client.ExportCertificatePem();
        ClientKeyPem = clientKey.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(Path.Combine(_dir, "client-ca.crt"), CaPem + "\n");
    }

    private static async Task<bool> ListeningAsync(int port)
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

    private void Stop()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            _nginx.WaitForExit(5000);
        }

        _nginx?.Dispose();
        _nginx = null;
    }
}

/// <summary>Chart archives made by Weir.Helm's packager (<c>weir helm package</c>'s code path), from files in memory.</summary>
public static class TestCharts
{
    /// <summary><c>helm template</c> of <paramref name="chart"/> with <paramref name="values"/> (none by default), as release <c>rel</c> in namespace <c>ns</c>.</summary>
    public static string Render(Chart chart, Weir.Templates.Values.GoMap? values = null) =>
        Weir.Helm.Actions.TemplateAction.Run(chart, values ?? new Weir.Templates.Values.GoMap(),
            new Weir.Helm.Actions.TemplateOptions(new Weir.Helm.Rendering.ReleaseOptions("rel", "ns"))).Output;

    /// <summary>A chart <paramref name="name"/>-<paramref name="version"/> with a ConfigMap template and <paramref name="files"/> added or replaced.</summary>
    public static byte[] Package(string name, string version, IReadOnlyDictionary<string, string>? files = null)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Chart.yaml"] = $"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: \"{version}\"\n",
            ["values.yaml"] = "replicas: 1\nmessage: hello\n",
            ["templates/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  message: {{ .Values.message | quote }}\n",
        };
        foreach (var (path, content) in files ?? new Dictionary<string, string>())
        {
            all[path] = content;
        }

        var chart = new ChartLoader().LoadFiles([.. all.Select(f => new ChartFile(f.Key, System.Text.Encoding.UTF8.GetBytes(f.Value)))]);
        using var output = new MemoryStream();
        ChartPackager.Write(chart, output);
        return output.ToArray();
    }
}
