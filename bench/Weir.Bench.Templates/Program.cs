using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Bench.Templates;

// Every successful case of the shared Go-template corpus, executed in-process by Weir and by Go (the oracle's
// template-bench: parse once, execute n times inside the Go process), in the same run and interleaved sample by
// sample so both sides see the same machine load. Per case: n is calibrated so one sample takes about SAMPLE_MS,
// each side takes SAMPLES samples, and its time is the median sample / n (robust to preemption on a busy machine).
// Prints the median per-case speed ratio (Go time / Weir time), the slowest cases and the load average.
// Usage: Weir.Bench.Templates [CORPUS_DIR] [ORACLE] [SAMPLES] [SAMPLE_MS]
var corpus = args.Length > 0 ? args[0] : "../shared/corpus/gotemplate";
var oraclePath = args.Length > 1 ? args[1] : ".tools/oracle";
var samples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
var sampleMs = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 1.0;

var cases = BenchCase.LoadCorpus(corpus);
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");

// Warm-up: every case runs until the JIT has settled on optimized code for the whole engine.
for (var round = 0; round < 3; round++)
{
    foreach (var c in cases)
    {
        c.Run(20);
    }
}

Thread.Sleep(1000);
GC.Collect();

using var go = new GoBench(oraclePath);
var results = new List<(double Ratio, string Name, double Weir, double Go, long N)>();
foreach (var c in cases)
{
    var n = c.Calibrate(sampleMs);
    if (go.SampleNs(c.Request, 1) is null)
    {
        Console.WriteLine($"skipped (Go cannot run it): {c.Name}");
        continue;
    }

    var weir = new double[samples];
    var goTimes = new double[samples];
    for (var s = 0; s < samples; s++)
    {
        goTimes[s] = go.SampleNs(c.Request, n)!.Value / n;
        weir[s] = c.SampleNs(n) / n;
    }

    var weirNs = Median(weir);
    var goNs = Median(goTimes);
    results.Add((goNs / weirNs, c.Name, weirNs, goNs, n));
}

results.Sort((a, b) => a.Ratio.CompareTo(b.Ratio));
Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"cases: {results.Count}, samples per case and side: {samples}, sample length: ~{sampleMs} ms");
Console.WriteLine($"median speed ratio (Go time / Weir time): {results[results.Count / 2].Ratio:F2}x");
Console.WriteLine($"geometric mean ratio: {Math.Exp(results.Average(r => Math.Log(r.Ratio))):F2}x");
Console.WriteLine("slowest cases (ratio, name, weir ns, go ns, iterations per sample):");
foreach (var r in results.Take(8))
{
    Console.WriteLine($"  {r.Ratio:F2}x  {r.Name}  {r.Weir:F0} ns  {r.Go:F0} ns  n={r.N}");
}

Console.WriteLine("fastest cases:");
foreach (var r in results.TakeLast(3))
{
    Console.WriteLine($"  {r.Ratio:F2}x  {r.Name}  {r.Weir:F0} ns  {r.Go:F0} ns  n={r.N}");
}

Console.WriteLine($"cases slower than Go by more than 2x: {results.Count(r => r.Ratio < 0.5)}");
Console.WriteLine($"cases slower than Go: {results.Count(r => r.Ratio < 1)}");

static double Median(double[] xs)
{
    var sorted = xs.Order().ToArray();
    return sorted[sorted.Length / 2];
}

namespace Weir.Bench.Templates
{
    /// <summary>The oracle's template-bench, kept running: one request line is one timed sample of n executions.</summary>
    internal sealed class GoBench : IDisposable
    {
        private readonly Process process;

        public GoBench(string oracle)
        {
            var psi = new ProcessStartInfo(oracle, "template-bench") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
            process = Process.Start(psi)!;
        }

        /// <summary>Nanoseconds for n executions inside Go, or null when Go cannot run the case (a function its Sprig lacks).</summary>
        public double? SampleNs(JsonObject request, long n)
        {
            request["iterations"] = n;
            process.StandardInput.WriteLine(request.ToJsonString());
            process.StandardInput.Flush();
            var answer = JsonNode.Parse(process.StandardOutput.ReadLine()!)!.AsObject();
            return answer["exec_ns"]?.GetValue<double>();
        }

        public void Dispose()
        {
            process.StandardInput.Close();
            process.WaitForExit();
            process.Dispose();
        }
    }
}
