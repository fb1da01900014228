using System.Text;
using System.Text.RegularExpressions;
using Weir.Kustomize.Flux.Envsubst;

namespace Weir.Kustomize.Tests;

/// <summary>
/// Weir's envsubst against drone/envsubst itself (the library Flux forked): every expansion and every error text.
/// drone/envsubst as Debian packages it (1.0.3) also unescapes <c>\\</c> and <c>\/</c> outside <c>${…}</c>, which the
/// library stopped doing and Flux's fork never did, so generated text has no backslash outside expansions.
/// </summary>
public sealed partial class EnvsubstTests
{
    private static readonly Dictionary<string, string> Vars = new()
    {
        ["A"] = "navidrome",
        ["B"] = "Hello World",
        ["x"] = "abcdef",
        ["EMPTY"] = "",
        ["path"] = "/usr/local/bin/app.tar.gz",
        ["num"] = "12345",
        ["é"] = "ümlaut straße",
        ["CLUSTER"] = "prod-eu",
        ["APP"] = "navidrome",
        ["KOPIUR_CLAIM"] = "actual-data",
    };

    [Theory]
    [InlineData("${CLUSTER^^}")]
    [InlineData("${KOPIUR_CLAIM:-${APP}}")]
    [InlineData("${UNSET_CLAIM:-${APP}}")]
    [InlineData("claim: ${UNSET:=${APP}-data} ${EMPTY:-fallback} ${EMPTY=x} ${EMPTY:=y}")]
    [InlineData("${A^} ${B,} ${B,,} ${B^^} ${#B} ${#UNSET}")]
    [InlineData("${x:2} ${x:2:3} ${x:-3} ${x:-3:2} ${x:9} ${x:1:99} ${x:a} ${x:1:b} ${x:${num}}")]
    [InlineData("${path#*/} ${path##*/} ${path%.*} ${path%%.*} ${path#[a-z]} ${path%[!a-z]*}")]
    [InlineData("${path/local/opt} ${path//\\//:} ${path/#\\/usr/~} ${path/%gz/bz2} ${path/a} ${path/%gz}")]
    [InlineData("$$A $${A} $$${A} ${A}$$ $A ${A:+set} ${UNSET:+set} ${UNSET:?err}")]
    [InlineData("${A-default}")]
    [InlineData("${A")]
    [InlineData("${}")]
    [InlineData("${A:}")]
    [InlineData("${A#}")]
    [InlineData("${#}")]
    [InlineData("${x:2:-5}")]
    [InlineData("${é^^} ${é:3} ${é:1:2}")]
    public void ExpandsAsDroneEnvsubst(string input) => AssertAgrees(EnvsubstOracle.Evaluate(input, Vars));

    [Fact]
    public void RandomTemplatesExpandAsDroneEnvsubst()
    {
        var rnd = new Random(21);
        var inputs = Enumerable.Range(0, 4000).Select(_ => Template(rnd, 0))
            .Where(i => !(i.Contains("$${", StringComparison.Ordinal) && i.Contains('\\'))) // escaped text: see the class summary
            .ToList();
        Assert.True(inputs.Count > 3500, $"only {inputs.Count} templates");
        var answers = EnvsubstOracle.Evaluate(inputs, Vars);
        var disagreements = answers.Select(Disagreement).OfType<string>().Take(20).ToList();
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));

        // Both expansions and errors are exercised, every reachable error text among them.
        Assert.True(answers.Count(a => a.Error is null) > inputs.Count / 3, "too few templates expand");
        Assert.Equal(
            ["bad substitution", "missing closing brace", "panic", "unable to parse substitution within function", "unable to parse variable name"],
            answers.Where(a => a.Error is not null).Select(a => a.Error!.Split(':')[0]).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Outside expansions (also in <c>$${…}</c>, which is text) backslashes are kept: Flux's fork and drone/envsubst since
    /// 2021 only unescape inside <c>${…}</c>. The packaged library predates that, so this expectation comes from the fork's source.
    /// </summary>
    [Fact]
    public void BackslashesOutsideExpansionsAreKept() =>
        Assert.Equal(@"a\b ${x\/} /", EnvsubstEvaluator.Evaluate(@"a\b $${x\/} ${x/abcdef/\/}", name => new EnvsubstValue(Vars.GetValueOrDefault(name, ""), true)));

    private static void AssertAgrees(EnvsubstAnswer answer)
    {
        var disagreement = Disagreement(answer);
        Assert.True(disagreement is null, disagreement);
    }

    private static string? Disagreement(EnvsubstAnswer answer)
    {
        string ours;
        try
        {
            ours = EnvsubstEvaluator.Evaluate(answer.Input, name => new EnvsubstValue(Vars.GetValueOrDefault(name, ""), true));
        }
        catch (EnvsubstException e)
        {
            return answer.Error == e.Message ? null : $"{answer.Input}: we failed ({e.Message}), envsubst said {answer.Output ?? answer.Error}";
        }

        if (answer.Error is not null)
        {
            return $"{answer.Input}: we gave '{ours}', envsubst failed ({answer.Error})";
        }

        // Byte offsets can cut a character in two; Go's JSON writes one U+FFFD per stray byte, .NET one per sequence.
        return Replacements().Replace(ours, "\uFFFD") == Replacements().Replace(answer.Output!, "\uFFFD")
            ? null
            : $"{answer.Input}: we gave '{ours}', envsubst gave '{answer.Output}'";
    }

    private static readonly string[] Names = ["A", "B", "x", "EMPTY", "path", "num", "é", "UNSET", "_u", "9a", ""];

    private static readonly string[] Operators =
        ["", ":", ":-", ":=", ":?", ":+", "=", "-", "+", "?", "^", "^^", ",", ",,", ",^", "#", "##", "%", "%%", "/", "//", "/#", "/%", "!", "."];

    private static string Template(Random rnd, int depth)
    {
        var text = new StringBuilder();
        for (var i = rnd.Next(1, 4); i > 0; i--)
        {
            if (rnd.Next(3) == 0)
            {
                text.Append(Pick(rnd, ["a", "b ", ": ", "/", "}", "{", "$", "$$", "$${A}", "#", "%", "*", ".", "é", "$x"]));
            }
            else
            {
                text.Append(Expansion(rnd, depth));
            }
        }

        return text.ToString();
    }

    private static string Expansion(Random rnd, int depth)
    {
        var text = new StringBuilder("${");
        if (rnd.Next(10) == 0)
        {
            text.Append('#');
        }

        text.Append(Pick(rnd, Names));
        var op = Pick(rnd, Operators);
        text.Append(op);
        if (op == ":")
        {
            text.Append(Number(rnd));
            if (rnd.Next(2) == 0)
            {
                text.Append(':').Append(Number(rnd));
            }
        }
        else if (op.StartsWith('/'))
        {
            text.Append(Argument(rnd, depth));
            if (rnd.Next(3) > 0)
            {
                text.Append('/').Append(Argument(rnd, depth));
            }
        }
        else if (op.Length > 0 && rnd.Next(4) > 0)
        {
            text.Append(Argument(rnd, depth));
        }

        return text.Append(rnd.Next(12) == 0 ? "" : "}").ToString();
    }

    private static string Number(Random rnd) =>
        rnd.Next(8) == 0 ? Pick(rnd, ["", "a", "+2", "99999999999999999999", "${num}", " 1"]) : rnd.Next(-8, 12).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Argument(Random rnd, int depth)
    {
        if (depth < 2 && rnd.Next(5) == 0)
        {
            return Expansion(rnd, depth + 1);
        }

        var text = new StringBuilder();
        for (var i = rnd.Next(0, 5); i > 0; i--)
        {
            text.Append(Pick(rnd, ["a", "b", "c", "*", "?", "[", "]", "[a-c]", "[!a]", "^", "-", "\\", "\\/", "\\\\", ":", ".", "$", "$$", "%", "#", "0", "1", " ", "é", "/"]));
        }

        return text.ToString();
    }

    private static string Pick(Random rnd, string[] choices) => choices[rnd.Next(choices.Length)];

    [GeneratedRegex("\uFFFD+")]
    private static partial Regex Replacements();
}
