using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cluster;

// Embedded API server benchmark: 10,000 ConfigMap creates, a kubectl list of them, and watch fan-out to 50 watchers.
// Usage: dotnet run -c Release --project bench/Weir.Bench.Cluster [-- --objects N --watchers N --kubectl PATH]
var objects = Arg("--objects", 10000);
var watchers = Arg("--watchers", 50);
var events = Arg("--events", 500);
var kubectl = ArgString("--kubectl", "/usr/lib/google-cloud-sdk/bin/kubectl.1.32");
var dataDir = Path.Combine(Path.GetTempPath(), "weir-bench-" + Guid.NewGuid().ToString("N"));

await using var server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = dataDir });
var handler = Weir.Cluster.Auth.ClusterClients.Handler(server.CaCertificate);
handler.MaxConnectionsPerServer = 256;
using var http = Weir.Cluster.Auth.ClusterClients.Create(server.Address, server.CaCertificate, server.AdminToken, handler);
http.Timeout = TimeSpan.FromMinutes(5);
await Post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"bench\"}}");

// 1. Creates. CPU time is reported too: on a shared machine wall time mostly measures the neighbours.
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var sw = Stopwatch.StartNew();
var next = -1;
await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < objects)
    {
        await Post("/api/v1/namespaces/bench/configmaps", $"{{\"metadata\":{{\"name\":\"cm-{i:D5}\",\"labels\":{{\"app\":\"bench\"}}}},\"data\":{{\"key\":\"value-{i}\"}}}}");
    }
})));
sw.Stop();
var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
Report("creates", $"{objects} ConfigMaps in {sw.Elapsed.TotalSeconds:F2} s = {objects / sw.Elapsed.TotalSeconds:F0} creates/s (32 concurrent clients); " +
    $"CPU {cpuUsed.TotalMilliseconds * 1000 / Math.Max(objects, 1):F0} µs per create, server and client together = {objects / Math.Max(cpuUsed.TotalSeconds, 0.001):F0} creates per CPU-second");

// 2. Lists.
var kubeconfig = server.KubeconfigPath!;
var cacheDir = Path.Combine(dataDir, "kube-cache");
await Kubectl("get", "ns");
foreach (var run in new[] { "first", "second" })
{
    cpu = Process.GetCurrentProcess().TotalProcessorTime;
    sw.Restart();
    var (table, log) = await KubectlWithLog("get", "cm", "-n", "bench", "-v=6");
    sw.Stop();
    cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    Report($"kubectl get cm ({run})", $"{table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1} rows in {sw.Elapsed.TotalMilliseconds:F0} ms ({Path.GetFileName(kubectl)}, default --chunk-size=500, Table); server CPU {cpuUsed.TotalMilliseconds:F0} ms; " +
        $"kubectl's own client-side throttling (QPS 5, burst 10) waited {SumMilliseconds(log, ThrottleWait()):F0} ms, its {RequestLine().Matches(log).Count} requests took {SumMilliseconds(log, RequestTime()):F0} ms");
}
sw.Restart();
var onePage = await Kubectl("get", "cm", "-n", "bench", "--chunk-size=0");
sw.Stop();
Report("kubectl get cm, 1 page", $"{onePage.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1} rows in {sw.Elapsed.TotalMilliseconds:F0} ms (--chunk-size=0, Table: no client-side throttling)");
cpu = Process.GetCurrentProcess().TotalProcessorTime;
sw.Restart();
var pages = 0;
string? token = null;
do
{
    using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/bench/configmaps?limit=500" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
    request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
    using var response = await http.SendAsync(request);
    token = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["metadata"]!["continue"]?.GetValue<string>();
    pages++;
}
while (token is not null);
sw.Stop();
cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
Report("HTTP Table pages", $"{pages} pages of 500 in {sw.Elapsed.TotalMilliseconds:F0} ms; CPU {cpuUsed.TotalMilliseconds:F0} ms (server and client)");
sw.Restart();
var json = await Kubectl("get", "cm", "-n", "bench", "-o", "json", "--chunk-size=0");
sw.Stop();
Report("kubectl get cm -o json", $"{JsonNode.Parse(json)!["items"]!.AsArray().Count} items in {sw.Elapsed.TotalMilliseconds:F0} ms (one request)");
sw.Restart();
var raw = await http.GetStringAsync("/api/v1/namespaces/bench/configmaps");
sw.Stop();
Report("HTTP list", $"{raw.Length / 1024} KiB in {sw.Elapsed.TotalMilliseconds:F0} ms");

// 3. Watch fan-out.
var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
using var cts = new CancellationTokenSource();
var ready = new CountdownEvent(watchers);
var streams = Enumerable.Range(0, watchers).Select(_ => Task.Run(async () =>
{
    var rv = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/bench/configmaps?limit=1"))!["metadata"]!["resourceVersion"]!.GetValue<string>();
    using var response = await http.GetAsync($"/api/v1/namespaces/bench/configmaps?watch=true&resourceVersion={rv}&labelSelector=app%3Dwatched", HttpCompletionOption.ResponseHeadersRead, cts.Token);
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
    ready.Signal();
    var seen = 0;
    while (seen < events && await reader.ReadLineAsync(cts.Token) is { } line)
    {
        var now = Stopwatch.GetTimestamp();
        var name = JsonNode.Parse(line)!["object"]!["metadata"]!["name"]!.GetValue<string>();
        if (sent.TryGetValue(name, out var at))
        {
            latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
        }
        seen++;
    }
})).ToList();
ready.Wait(TimeSpan.FromSeconds(30));
sw.Restart();
for (var i = 0; i < events; i++)
{
    var name = $"watched-{i:D4}";
    sent[name] = Stopwatch.GetTimestamp();
    await Post("/api/v1/namespaces/bench/configmaps", $"{{\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"app\":\"watched\"}}}},\"data\":{{\"i\":\"{i}\"}}}}");
    await Task.Delay(2);
}
var finished = Task.WhenAll(streams);
await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(60)));
await cts.CancelAsync();
var sorted = latencies.Order().ToList();
double Pct(double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
Report("watch fan-out", $"{watchers} watchers x {events} events = {sorted.Count} deliveries; latency p50 {Pct(0.5):F1} ms, p99 {Pct(0.99):F1} ms, max {sorted.LastOrDefault():F1} ms");

Directory.Delete(dataDir, recursive: true);
return 0;

async Task Post(string path, string body)
{
    using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
    if ((int)response.StatusCode >= 300)
    {
        throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

async Task<string> Kubectl(params string[] args) => (await KubectlWithLog(args)).Output;

async Task<(string Output, string Log)> KubectlWithLog(params string[] args)
{
    var psi = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "--kubeconfig", kubeconfig, "--cache-dir", cacheDir }.Concat(args))
    {
        psi.ArgumentList.Add(a);
    }
    using var p = Process.Start(psi)!;
    var output = p.StandardOutput.ReadToEndAsync();
    var error = p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"kubectl {string.Join(' ', args)}: {await error}");
    }
    return (await output, await error);
}

static double SumMilliseconds(string log, System.Text.RegularExpressions.Regex pattern) =>
    pattern.Matches(log).Sum(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

int Arg(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

string ArgString(string name, string fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

static void Report(string what, string figure) => Console.WriteLine($"{what,-24} {figure}");

internal static partial class Program
{
    [System.Text.RegularExpressions.GeneratedRegex(@"Waited for ([0-9.]+)ms due to client-side throttling")]
    private static partial System.Text.RegularExpressions.Regex ThrottleWait();

    [System.Text.RegularExpressions.GeneratedRegex(@"round_trippers.go:\d+\] GET \S+ \d+ \w+ in ([0-9]+) milliseconds")]
    private static partial System.Text.RegularExpressions.Regex RequestTime();

    [System.Text.RegularExpressions.GeneratedRegex(@"round_trippers.go:\d+\] GET ")]
    private static partial System.Text.RegularExpressions.Regex RequestLine();
}
