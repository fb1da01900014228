using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Templates;
using Weir.Templates.Functions;
using Weir.Templates.Values;

// Renders every successful case of the shared Go-template corpus in-process and, in the same run, asks the Go
// oracle (oracle template-bench: parse once, execute N times inside Go) for the same cases; prints the median
// per-case speed ratio (Go time / Weir time) and the worst case.
// Usage: Weir.Bench.Templates CORPUS_DIR ORACLE [ITERATIONS]
var corpus = args.Length > 0 ? args[0] : "../shared/corpus/gotemplate";
var oracle = args.Length > 1 ? args[1] : ".tools/oracle";
var iterations = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2000;

var cases = new List<JsonObject>();
foreach (var file in Directory.GetFiles(corpus, "*.jsonl").Order())
{
    foreach (var line in File.ReadLines(file))
    {
        var c = JsonNode.Parse(line)!.AsObject();
        if (c["error"] is null && c["expected"] is not null)
        {
            cases.Add(c);
        }
    }
}

var input = new StringBuilder();
foreach (var c in cases)
{
    var request = new JsonObject
    {
        ["name"] = c["name"]!.DeepClone(),
        ["template"] = c["template"]!.DeepClone(),
        ["data"] = c["data"]?.DeepClone(),
        ["funcs"] = c["funcs"]!.DeepClone(),
        ["numbers"] = c["numbers"]!.DeepClone(),
        ["iterations"] = iterations,
    };
    input.Append(request.ToJsonString()).Append('\n');
}

var psi = new ProcessStartInfo(oracle, "template-bench") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
using var process = Process.Start(psi)!;
var writer = Task.Run(() =>
{
    process.StandardInput.Write(input.ToString());
    process.StandardInput.Close();
});
var goNs = new List<double>();
string? outLine;
while ((outLine = process.StandardOutput.ReadLine()) is not null)
{
    var answer = JsonNode.Parse(outLine)!.AsObject();
    goNs.Add(answer["exec_ns"] is { } ns ? ns.GetValue<double>() / iterations : double.NaN);
}

writer.Wait();
process.WaitForExit();

var ratios = new List<(double Ratio, string Name, double Weir, double Go)>();
for (var i = 0; i < cases.Count; i++)
{
    var c = cases[i];
    var funcs = (string)c["funcs"]!;
    var helm = funcs == "helm";
    var table = funcs switch { "builtin" => TemplateFunctions.Builtin, "helm" => TemplateFunctions.Helm, _ => TemplateFunctions.Sprig };
    var options = new TemplateOptions { MissingKey = helm ? MissingKeyMode.Zero : MissingKeyMode.Default, RemoveNoValue = helm };
    var data = GoValues.FromJson(c["data"]?.DeepClone(), (string)c["numbers"]! == "int" ? NumberMode.Int : NumberMode.Float);
    TemplateSet set;
    try
    {
        set = new TemplateEngine(table, options).Parse("case", (string)c["template"]!);
        set.Execute(data);
    }
    catch (TemplateException)
    {
        continue;
    }

    for (var w = 0; w < Math.Min(200, iterations); w++)
    {
        set.Execute(data);
    }

    var sw = Stopwatch.StartNew();
    for (var n = 0; n < iterations; n++)
    {
        set.Execute(data);
    }

    var weirNs = sw.Elapsed.TotalNanoseconds / iterations;
    if (!double.IsNaN(goNs[i]))
    {
        ratios.Add((goNs[i] / weirNs, (string)c["name"]!, weirNs, goNs[i]));
    }
}

ratios.Sort((a, b) => a.Ratio.CompareTo(b.Ratio));
var median = ratios[ratios.Count / 2].Ratio;
Console.WriteLine($"cases: {ratios.Count}, iterations per case: {iterations}");
Console.WriteLine($"median speed ratio (Go time / Weir time): {median:F2}x");
Console.WriteLine($"slowest cases (ratio, name, weir ns, go ns):");
foreach (var r in ratios.Take(5))
{
    Console.WriteLine($"  {r.Ratio:F2}x  {r.Name}  {r.Weir:F0} ns  {r.Go:F0} ns");
}

Console.WriteLine($"cases slower than Go by more than 2x: {ratios.Count(r => r.Ratio < 0.5)}");
