using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Templates;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Bench.Templates;

/// <summary>One corpus case, parsed once by Weir with the function set, options and number typing the oracle uses.</summary>
internal sealed class BenchCase
{
    private readonly TemplateSet set;
    private readonly Value data;

    private BenchCase(string name, JsonObject request, TemplateSet set, Value data)
    {
        Name = name;
        Request = request;
        this.set = set;
        this.data = data;
    }

    public string Name { get; }

    /// <summary>The oracle's template-bench request for the same case.</summary>
    public JsonObject Request { get; }

    /// <summary>Every case of the corpus that Go renders successfully.</summary>
    public static List<BenchCase> LoadCorpus(string dir)
    {
        var cases = new List<BenchCase>();
        foreach (var file in Directory.GetFiles(dir, "*.jsonl").Order())
        {
            foreach (var line in File.ReadLines(file))
            {
                var c = JsonNode.Parse(line)!.AsObject();
                if (c["error"] is not null || c["expected"] is null)
                {
                    continue;
                }

                var funcs = (string)c["funcs"]!;
                var helm = funcs == "helm";
                var table = funcs switch { "builtin" => TemplateFunctions.Builtin, "helm" => TemplateFunctions.Helm, _ => TemplateFunctions.Sprig };
                var options = new TemplateOptions { MissingKey = helm ? MissingKeyMode.Zero : MissingKeyMode.Default, RemoveNoValue = helm };
                var numbers = (string)c["numbers"]!;
                var data = GoValues.FromJson(c["data"]?.DeepClone(), numbers == "int" ? NumberMode.Int : NumberMode.Float);
                var set = new TemplateEngine(table, options).Parse("case", (string)c["template"]!);
                var request = new JsonObject
                {
                    ["name"] = c["name"]!.DeepClone(),
                    ["template"] = c["template"]!.DeepClone(),
                    ["data"] = c["data"]?.DeepClone(),
                    ["funcs"] = funcs,
                    ["numbers"] = numbers,
                };
                cases.Add(new BenchCase((string)c["name"]!, request, set, data));
            }
        }

        return cases;
    }

    public void Run(long n)
    {
        for (var i = 0; i < n; i++)
        {
            set.Execute(data);
        }
    }

    /// <summary>Nanoseconds for n executions.</summary>
    public double SampleNs(long n)
    {
        var start = Stopwatch.GetTimestamp();
        Run(n);
        return Stopwatch.GetElapsedTime(start).TotalNanoseconds;
    }

    /// <summary>
    /// Executions per sample so that one sample takes at least the given time (doubling, as Go's testing.B does);
    /// each size is timed three times and the fastest counts, so one preemption does not stop the doubling early.
    /// </summary>
    public long Calibrate(double sampleMs)
    {
        long n = 1;
        while (Math.Min(SampleNs(n), Math.Min(SampleNs(n), SampleNs(n))) < sampleMs * 1e6 && n < 1 << 24)
        {
            n *= 2;
        }

        return n;
    }
}
