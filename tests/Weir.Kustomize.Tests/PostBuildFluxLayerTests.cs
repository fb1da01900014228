using System.Text.Json.Nodes;
using Weir.Kustomize.Flux;

namespace Weir.Kustomize.Tests;

/// <summary>
/// What Flux adds around envsubst (fluxcd/pkg kustomize/kustomize_varsub.go and its envsubst fork): the variable-name
/// check, the opt-out label and annotation, the substitute strategy, strict lookups, line breaks dropped from values,
/// the result read back with sigs.k8s.io/yaml, and Flux's error wording. No Go build of Flux's code is available here,
/// so these expectations are read from that source; the expansions themselves are checked against drone/envsubst in
/// <see cref="EnvsubstTests"/>.
/// </summary>
public sealed class PostBuildFluxLayerTests
{
    private static JsonObject ConfigMap(string name, JsonObject data, JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels ?? [] },
        ["data"] = data,
    };

    [Theory]
    [InlineData("${nope}")]
    [InlineData("${nope^^}")]
    [InlineData("${#nope}")]
    [InlineData("${nope:2}")]
    [InlineData("${nope/a/b}")]
    [InlineData("${nope%%.*}")]
    public void StrictLookupsFailWhereNoDefaultIsGiven(string input)
    {
        var e = Assert.Throws<KustomizeException>(() => PostBuildSubstitution.Substitute(input, new Dictionary<string, string>(), strict: true));
        Assert.Equal("variable substitution failed: variable not set (strict mode): \"nope\"", e.Message);
    }

    [Theory]
    [InlineData("${nope:-d}", "d")]
    [InlineData("${nope:=d}", "d")]
    [InlineData("${nope=d}", "d")]
    [InlineData("${nope:+d}", "d")]
    [InlineData("${set}", "")]
    public void StrictLookupsAcceptDefaultsAndEmptyValues(string input, string expected) =>
        Assert.Equal(expected, PostBuildSubstitution.Substitute(input, new Dictionary<string, string> { ["set"] = "" }, strict: true));

    [Theory]
    [InlineData("my-var")]
    [InlineData("1st")]
    [InlineData("päth")]
    [InlineData("ok\n")]
    public void VariableNamesMustMatchFluxsPattern(string name)
    {
        var e = Assert.Throws<KustomizeException>(() =>
            PostBuildSubstitution.SubstituteResource(ConfigMap("a", new JsonObject { ["k"] = "v" }), new Dictionary<string, string> { [name] = "x" }, strict: false));
        Assert.Equal($"envsubst error: '{name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'", e.Message);
    }

    [Fact]
    public void TheOptOutLabelIsHonouredLikeTheAnnotation()
    {
        var labelled = ConfigMap("a", new JsonObject { ["k"] = "${v}" }, new JsonObject { [PostBuildSubstitution.DisableAnnotation] = "disabled" });
        var result = PostBuildSubstitution.SubstituteResource(labelled, new Dictionary<string, string> { ["v"] = "x" }, strict: true);
        Assert.Equal("${v}", result["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void WithoutVariablesOnlyTheAlwaysStrategySubstitutes()
    {
        var cm = ConfigMap("a", new JsonObject { ["k"] = "${v:=fallback}" });
        var none = new Dictionary<string, string>();
        Assert.Equal("${v:=fallback}", PostBuildSubstitution.SubstituteResource(cm, none, strict: true)["data"]!["k"]!.GetValue<string>());
        Assert.Equal("fallback", PostBuildSubstitution.SubstituteResource(cm, none, strict: true, always: true)["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void ValuesLoseTheirLineBreaks() =>
        Assert.Equal("k: ab", PostBuildSubstitution.Substitute("k: ${v}", new Dictionary<string, string> { ["v"] = "a\nb\n" }, strict: true));

    [Fact]
    public void TheSubstitutedResourceIsReadAsSigsYaml()
    {
        // Flux substitutes in the resource's YAML (where ${r} is written unquoted) and reads it back with
        // sigs.k8s.io/yaml: numbers become numbers and "yes" a boolean, while strings the writer quoted stay strings.
        var cm = ConfigMap("a", new JsonObject { ["kept"] = "n", ["also"] = "${r}" });
        cm["spec"] = new JsonObject { ["replicas"] = "${r}", ["enabled"] = "${e}" };
        var result = PostBuildSubstitution.SubstituteResource(cm, new Dictionary<string, string> { ["r"] = "3", ["e"] = "yes" }, strict: true);

        Assert.Equal(3, result["spec"]!["replicas"]!.GetValue<long>());
        Assert.True(result["spec"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("n", result["data"]!["kept"]!.GetValue<string>());
    }

    [Fact]
    public void ErrorsUseFluxsWording()
    {
        var cm = ConfigMap("broken", new JsonObject { ["k"] = "${v" });
        var vars = new Dictionary<string, string> { ["v"] = "x" };
        var e = Assert.Throws<KustomizeException>(() => PostBuildSubstitution.SubstituteResource(cm, vars, strict: true));
        Assert.Equal("envsubst error: variable substitution failed: missing closing brace", e.Message);
    }
}
