using System.Diagnostics;
using System.Globalization;
using Weir.Helm.Tests;

// Every successful case of the Helm corpus rendered in-process as `helm template` (chart loaded from disk, values
// merged, dependencies processed, templates rendered, manifests sorted and printed), after a warm-up. Per case the
// time is the median of SAMPLES runs. Prints the per-case figures, the total and the largest chart (by output size).
// Usage: Weir.Bench.Helm [SAMPLES]   (the corpus comes from WEIR_CORPUS or ../shared/corpus)
var samples = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9;
var cases = HelmCorpusCase.Names().Select(HelmCorpusCase.Load).Where(c => !c.ExpectError).ToList();
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");

var sizes = new Dictionary<string, int>();
for (var round = 0; round < 3; round++)
{
    foreach (var c in cases)
    {
        var r = c.Run();
        sizes[c.Name] = r.Output.Length + r.Files.Sum(f => f.Value.Length);
    }
}

GC.Collect();
var results = new List<(string Name, double Ms, int Chars)>();
foreach (var c in cases)
{
    var times = new double[samples];
    for (var s = 0; s < samples; s++)
    {
        var watch = Stopwatch.StartNew();
        c.Run();
        times[s] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    results.Add((c.Name, times[samples / 2], sizes[c.Name]));
}

Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"cases: {results.Count}, samples per case: {samples}");
Console.WriteLine($"total (sum of medians): {results.Sum(r => r.Ms):F1} ms; median case: {results.Select(r => r.Ms).Order().ElementAt(results.Count / 2):F2} ms");
var largest = results.MaxBy(r => r.Chars);
Console.WriteLine($"largest output: {largest.Name} ({largest.Chars / 1024.0:F0} KiB): {largest.Ms:F2} ms");
Console.WriteLine("slowest cases (ms, output KiB, name):");
foreach (var r in results.OrderByDescending(r => r.Ms).Take(8))
{
    Console.WriteLine($"  {r.Ms,8:F2}  {r.Chars / 1024.0,6:F0}  {r.Name}");
}
