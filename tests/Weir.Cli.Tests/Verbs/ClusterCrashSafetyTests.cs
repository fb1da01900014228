using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>`weir cluster` killed with SIGKILL during a stream of writes loses no acknowledged write.</summary>
public sealed class ClusterCrashSafetyTests
{
    private static async Task<Process> StartWeir(string dataDir, int port)
    {
        var process = WeirRun.Start(["cluster", "--data-dir", dataDir, "--port", port.ToString(CultureInfo.InvariantCulture)]);
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains($"127.0.0.1:{port}", line);
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        return process;
    }

    [Fact]
    public async Task AcknowledgedWritesSurviveKill9()
    {
        var dataDir = TestEnv.TempDir("weir-crash-");
        var port = TestEnv.FreePort();
        var process = await StartWeir(dataDir, port);
        using var http = Weir.Cluster.Auth.ClusterClients.Admin(dataDir, new Uri($"https://127.0.0.1:{port}/"));
        var acknowledged = new Dictionary<string, long>();
        var acknowledgedCount = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var name = $"w{w}-{i}";
                try
                {
                    using var response = await http.PostAsync("/api/v1/namespaces/default/configmaps",
                        new StringContent($"{{\"metadata\":{{\"name\":\"{name}\"}},\"data\":{{\"i\":\"{i}\"}}}}", Encoding.UTF8, "application/json"));
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                        lock (acknowledged)
                        {
                            acknowledgedCount++;
                            acknowledged[name] = long.Parse(body["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
            }
        })).ToList();
        // Kill mid-stream once writes flow (the first TLS handshakes can take a while on a busy machine).
        await Task.Delay(1500);
        for (var waited = 0; waited < 300 && Volatile.Read(ref acknowledgedCount) <= 20; waited++)
        {
            await Task.Delay(100);
        }
        process.Kill();
        await process.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        Assert.True(acknowledged.Count > 20, $"only {acknowledged.Count} writes were acknowledged before the kill");

        var restarted = await StartWeir(dataDir, port);
        try
        {
            var list = JsonNode.Parse(await http.GetStringAsync("/api/v1/namespaces/default/configmaps"))!;
            var names = list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).ToHashSet();
            var lost = acknowledged.Keys.Where(n => !names.Contains(n)).ToList();
            Assert.True(lost.Count == 0, $"{lost.Count} acknowledged writes lost, e.g. {string.Join(", ", lost.Take(5))}");
            foreach (var item in list["items"]!.AsArray())
            {
                var name = item!["metadata"]!["name"]!.GetValue<string>();
                if (acknowledged.TryGetValue(name, out var rv))
                {
                    Assert.Equal(rv.ToString(CultureInfo.InvariantCulture), item["metadata"]!["resourceVersion"]!.GetValue<string>());
                }
            }
            using var created = await http.PostAsync("/api/v1/namespaces/default/configmaps",
                new StringContent("{\"metadata\":{\"name\":\"after-restart\"}}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var newRv = long.Parse(JsonNode.Parse(await created.Content.ReadAsStringAsync())!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.True(newRv > acknowledged.Values.Max(), $"resourceVersion went backwards: {newRv} <= {acknowledged.Values.Max()}");
            Assert.True(newRv > long.Parse(list["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture));

            // A watch resumed from an acknowledged revision replays the later changes.
            var from = acknowledged.Values.Min();
            using var watch = await http.GetAsync($"/api/v1/namespaces/default/configmaps?watch=true&resourceVersion={from}", HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await watch.Content.ReadAsStreamAsync());
            var first = JsonNode.Parse((await reader.ReadLineAsync())!)!;
            Assert.Equal("ADDED", first["type"]!.GetValue<string>());
            Assert.True(long.Parse(first["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture) > from);
        }
        finally
        {
            restarted.Kill();
            await restarted.WaitForExitAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
