using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Weir.Templates.Tests;

/// <summary>
/// Generated templates against the Go reference (oracle template: Go 1.19 text/template, Sprig, Helm's
/// functions): each case must give the same output, or fail on both sides. All cases go through one oracle process.
/// </summary>
public class DifferentialTests(ITestOutputHelper output)
{
    private const int Seed = 20261204;
    private const int Cases = 100_000;

    [Fact]
    public void GeneratedTemplatesAgreeWithGo()
    {
        var generator = new TemplateGenerator(Seed);
        var requests = new List<(string Template, string Funcs)>(Cases);
        var input = new StringBuilder();
        var data = JsonNode.Parse(TemplateGenerator.Data);
        for (var i = 0; i < Cases; i++)
        {
            var (template, funcs) = generator.Next();
            requests.Add((template, funcs));
            input.Append(JsonSerializer.Serialize(new { name = "case", template, data, funcs })).Append('\n');
        }

        if (Environment.GetEnvironmentVariable("WEIR_DIFF_DUMP") is { Length: > 0 } dump)
        {
            File.WriteAllText(dump, input.ToString());
        }

        var answers = GoOracle.Run("template", input.ToString());
        Assert.Equal(Cases, answers.Count);
        var disagreements = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var (template, funcs) = requests[i];
            var (ours, error) = CaseRunner.Run(template, data, funcs, "float");
            var answer = answers[i];
            var goError = (string?)answer["error"];
            var goOutput = (string?)answer["expected"];
            var agree = goError is not null ? error is not null : error is null && ours == goOutput;
            if (!agree)
            {
                disagreements.Add($"[{funcs}] {template}\n  go:   {goError ?? JsonSerializer.Serialize(goOutput)}\n  weir: {error ?? JsonSerializer.Serialize(ours)}");
            }
        }

        foreach (var d in disagreements.Take(40))
        {
            output.WriteLine(d);
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {Cases} generated cases disagree with Go; first:\n{string.Join("\n", disagreements.Take(15))}");
    }
}
