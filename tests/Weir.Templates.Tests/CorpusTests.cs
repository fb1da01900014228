using System.Text.Json.Nodes;

namespace Weir.Templates.Tests;

/// <summary>Every case of the shared Go-template corpus (Go's exec tests, Sprig's and Helm's tables): exact output, or failure where Go failed.</summary>
public class CorpusTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.Corpus, "gotemplate"), "*.jsonl").Order())
        {
            var n = 0;
            foreach (var line in File.ReadLines(file))
            {
                n++;
                if (line.Trim().Length > 0)
                {
                    data.Add(Path.GetFileName(file), $"{n}");
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string file, string line)
    {
        var text = File.ReadLines(Path.Combine(TestPaths.Corpus, "gotemplate", file)).ElementAt(int.Parse(line) - 1);
        var c = JsonNode.Parse(text)!.AsObject();
        var name = (string)c["name"]!;
        var (output, error) = CaseRunner.Run((string)c["template"]!, c["data"], (string?)c["funcs"], (string?)c["numbers"]);
        if (c["error"] is JsonValue e && e.GetValue<bool>())
        {
            Assert.True(error is not null, $"{name}: Go failed ({c["error_text"]}) but we printed {output}");
            return;
        }

        Assert.True(error is null, $"{name}: we failed: {error}");
        Assert.Equal((string)c["expected"]!, output);
    }
}
