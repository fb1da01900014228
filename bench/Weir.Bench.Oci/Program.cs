using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Weir.Oci.Distribution;
using Weir.Oci.Registry;
using Weir.Runtime.Artifacts;

// Push and pull of one Flux artifact (a tar.gz layer of incompressible data plus config and
// manifest) through our embedded registry and through Debian's docker-registry, same client,
// same run. Packing happens once, outside the timings.
//   dotnet run -c Release --project bench/Weir.Bench.Oci -- [SIZE_MB] [ITERATIONS]
var sizeMb = args.Length > 0 ? int.Parse(args[0]) : 50;
var iterations = args.Length > 1 ? int.Parse(args[1]) : 5;
var work = Directory.CreateTempSubdirectory("weir-bench-oci-").FullName;
try
{
    var content = Path.Combine(work, "content");
    Directory.CreateDirectory(content);
    var data = new byte[sizeMb * 1024 * 1024];
    new Random(42).NextBytes(data);
    await File.WriteAllBytesAsync(Path.Combine(content, "payload.bin"), data);
    var layerPath = Path.Combine(work, "layer.tar.gz");
    await using (var f = File.Create(layerPath))
    {
        await ArtifactArchiver.CreateAsync(content, f);
    }
    var layer = await BlobSource.FromFileAsync(layerPath);
    var config = BlobSource.FromBytes("{}"u8.ToArray());
    var manifest = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new ImageManifest
    {
        MediaType = MediaTypes.OciManifest,
        Config = new Descriptor { MediaType = MediaTypes.FluxConfig, Digest = config.Digest, Size = config.Size },
        Layers = [new Descriptor { MediaType = MediaTypes.FluxContent, Digest = layer.Digest, Size = layer.Size }],
    }));

    await using var ours = await RegistryServer.StartAsync(new RegistryServerOptions { DataDirectory = Path.Combine(work, "weir") });
    using var docker = await DockerRegistry.StartAsync(Path.Combine(work, "docker"));

    Console.WriteLine($"artifact layer: {layer.Size / 1048576.0:0.0} MiB, {iterations} iterations, median throughput");
    Console.WriteLine($"{"registry",-16} {"push MiB/s",10} {"pull MiB/s",10}");
    var results = new Dictionary<string, (double Push, double Pull)>();
    foreach (var (name, host) in new[] { ("docker-registry", docker.Host), ("weir", ours.Host) })
    {
        using var client = new RegistryClient(host, new RegistryClientOptions { Insecure = true });
        var push = new List<double>();
        var pull = new List<double>();
        for (var i = -1; i < iterations; i++)
        {
            var repo = $"bench/run{i + 1}";
            var sw = Stopwatch.StartNew();
            await client.PushBlobAsync(repo, config);
            await client.PushBlobAsync(repo, layer);
            var digest = await client.PutManifestAsync(repo, "v1", manifest, MediaTypes.OciManifest);
            var pushSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var got = (await client.GetManifestAsync(repo, "v1")).AsManifest();
            await client.GetBlobAsync(repo, got.Layers[0], Stream.Null);
            var pullSeconds = sw.Elapsed.TotalSeconds;
            if (i >= 0)
            {
                push.Add(layer.Size / 1048576.0 / pushSeconds);
                pull.Add(layer.Size / 1048576.0 / pullSeconds);
            }
        }
        results[name] = (Median(push), Median(pull));
        Console.WriteLine($"{name,-16} {results[name].Push,10:0} {results[name].Pull,10:0}");
    }
    Console.WriteLine($"weir / docker-registry: push {results["weir"].Push / results["docker-registry"].Push:0.00}x, pull {results["weir"].Pull / results["docker-registry"].Pull:0.00}x");
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double Median(List<double> xs)
{
    var s = xs.Order().ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}

/// <summary>Debian's docker-registry on a free loopback port with temp storage.</summary>
internal sealed class DockerRegistry : IDisposable
{
    private readonly Process _process;

    private DockerRegistry(Process process, string host)
    {
        _process = process;
        Host = host;
    }

    public string Host { get; }

    public static async Task<DockerRegistry> StartAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, $"version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: {dir}/data\nhttp:\n  addr: {host}\n");
        var psi = new ProcessStartInfo("docker-registry", ["serve", config]) { RedirectStandardError = true, RedirectStandardOutput = true };
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var _ = await http.GetAsync($"http://{host}/v2/");
                return new DockerRegistry(process, host);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("docker-registry did not start");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
