using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Weir.Testing;

/// <summary>The Go reference oracle (shared/oracles/go): one process per call, one JSON answer per JSON request line.</summary>
public static class GoOracle
{
    public static List<JsonObject> Run(string mode, string input)
    {
        var oracle = TestPaths.Oracle;
        var psi = new ProcessStartInfo(oracle, mode)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        var writer = Task.Run(() =>
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var result = new List<JsonObject>();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            result.Add(JsonNode.Parse(line)!.AsObject());
        }

        writer.Wait();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "oracle failed: " + stderr.Result);
        return result;
    }

    /// <summary>Go's answers to templates run with Sprig (and Helm's functions when funcs is "helm"): output or error text.</summary>
    public static List<(string? Output, string? Error)> Templates(IEnumerable<string> templates, string funcs = "sprig", JsonNode? data = null)
    {
        var input = string.Join('\n', templates.Select(t => new JsonObject
        {
            ["name"] = "case",
            ["template"] = t,
            ["data"] = data?.DeepClone() ?? new JsonObject(),
            ["funcs"] = funcs,
        }.ToJsonString()));
        return Run("template", input).Select(a => ((string?)a["expected"], (string?)a["error"])).ToList();
    }
}
