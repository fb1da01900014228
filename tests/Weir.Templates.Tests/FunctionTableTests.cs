using System.Text.RegularExpressions;
using Weir.Templates.Functions;

namespace Weir.Templates.Tests;

/// <summary>The Sprig and Helm tables offer every function Sprig's own table has, except env and expandenv (the controller's environment stays out of templates).</summary>
public partial class FunctionTableTests
{
    // The Sprig sources the oracle is built from (Debian's golang-github-masterminds-sprig-dev, installed by scripts/install-test-deps).
    private const string SprigFunctions = "/usr/share/gocode/src/github.com/Masterminds/sprig/functions.go";

    [Fact]
    public void EverySprigFunctionExists()
    {
        Assert.True(File.Exists(SprigFunctions), $"{SprigFunctions} not found (scripts/install-test-deps installs it)");
        var source = File.ReadAllText(SprigFunctions);
        var map = source[source.IndexOf("var genericMap", StringComparison.Ordinal)..];
        map = map[..map.IndexOf("\n}", StringComparison.Ordinal)];
        var names = MapKey().Matches(map).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(names.Count > 200, $"only {names.Count} names read from {SprigFunctions}");
        var offered = names.Where(n => n is not ("env" or "expandenv")).ToList();
        Assert.Equal(names.Count - 2, offered.Count);
        var missing = offered.Where(n => TemplateFunctions.Sprig.Find(n) is null || TemplateFunctions.Helm.Find(n) is null).ToList();
        Assert.True(missing.Count == 0, "missing: " + string.Join(", ", missing));
        foreach (var table in new[] { TemplateFunctions.Sprig, TemplateFunctions.Helm })
        {
            Assert.Null(table.Find("env"));
            Assert.Null(table.Find("expandenv"));
        }
    }

    [GeneratedRegex("""^\s*"(\w+)"\s*:""", RegexOptions.Multiline)]
    private static partial Regex MapKey();
}
