using System.Text;
using Weir.Core.Yaml;

namespace Weir.Core.Tests.Yaml;

/// <summary>
/// Manifests of the kustomize corpus, truncated and mutated (fixed seed): whatever the input, reading it ends in
/// documents or a <see cref="YamlException"/>, never another exception type and never a hang.
/// </summary>
public class MalformedYamlFuzzTests
{
    private const int Seed = 22;
    private const int Documents = 5000;
    private const int MaxSourceChars = 4000;
    private const string Characters = "[]{}:,-?&*!|>'\"#%@`\t\n \\\r\u00e9\ufeff\u0085";

    private static readonly string[] Tokens =
    [
        "[", "{", "]", "}", "[[[", "{{", "- ", ": ", "? ", "&a ", "*a", "<<: *a\n", "!!int ", "!!binary ", "!foo ", "!<tag:x> ",
        "%YAML 1.1\n", "---\n", "...\n", "|\n", ">-\n", "\"\\u12", "'", "\t- ", "\r\n", "~", "0x", "1e9999", ".inf", "&a [*a]",
    ];

    private static readonly YamlOptions Kyaml = new() { RejectDuplicateKeys = true, Dialect = YamlDialect.Kyaml };

    [Fact]
    public async Task OnlyYamlExceptionsEscapeFromMutatedManifests()
    {
        var files = CorpusFiles();
        Assert.True(files.Count > 500, $"only {files.Count} corpus files under {TestPaths.Corpus}/kustomize");
        var random = new Random(Seed);
        var refused = 0;
        var escaped = new List<string>();
        for (var i = 0; i < Documents && escaped.Count < 5; i++)
        {
            var text = Mutate(File.ReadAllText(files[random.Next(files.Count)]), random);
            var options = i % 2 == 0 ? YamlOptions.Default : Kyaml;
            var reading = Task.Run(() => KubeYaml.ParseAll(text, options));
            var ended = await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(30))) == reading;
            Assert.True(ended, $"reading did not end for {Quote(text)}");
            switch (reading.Exception?.InnerException)
            {
                case null:
                    break;
                case YamlException e:
                    refused++;
                    Assert.Matches("^(yaml|json): ", e.Message);
                    break;
                case var other:
                    escaped.Add($"{other.GetType().Name}: {other.Message}\n{Quote(text)}\n{other.StackTrace}");
                    break;
            }
        }

        Assert.True(escaped.Count == 0, string.Join("\n\n", escaped));
        // The mutations must reach the error paths, or this proves nothing.
        Assert.True(refused > Documents / 5, $"only {refused} of {Documents} mutated documents were refused");
    }

    private static List<string> CorpusFiles() =>
        [.. Directory.EnumerateFiles(Path.Combine(TestPaths.Corpus, "kustomize"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    private static string Mutate(string text, Random random)
    {
        if (text.Length > MaxSourceChars)
        {
            text = text[..MaxSourceChars];
        }

        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && text.Length > 0; m++)
        {
            var at = random.Next(text.Length);
            text = random.Next(8) switch
            {
                0 => text[..at],
                1 => text.Remove(at, 1),
                2 => text.Insert(at, Characters[random.Next(Characters.Length)].ToString()),
                3 => text.Insert(at, new string(' ', random.Next(1, 4))),
                4 => SwapLines(text, random),
                5 => text[..at] + text[random.Next(at, text.Length)..],
                6 => text.Insert(at, Tokens[random.Next(Tokens.Length)]),
                _ => text.Insert(at, ((char)random.Next(0, 0x3000)).ToString()),
            };
        }

        return text;
    }

    private static string SwapLines(string text, Random random)
    {
        var lines = text.Split('\n');
        var (a, b) = (random.Next(lines.Length), random.Next(lines.Length));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return string.Join('\n', lines);
    }

    private static string Quote(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > 600 ? text[..600] : text)
        {
            shown.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}");
        }

        return shown.ToString();
    }
}
