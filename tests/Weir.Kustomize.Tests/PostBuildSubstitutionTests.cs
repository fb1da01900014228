using System.Text.Json.Nodes;
using Weir.Kustomize.Flux;

namespace Weir.Kustomize.Tests;

public sealed class PostBuildSubstitutionTests
{
    private static readonly Dictionary<string, string> Vars = new() { ["cluster"] = "prod", ["empty"] = "" };

    [Theory]
    [InlineData("name: ${cluster}", "name: prod")]
    [InlineData("name: ${missing:=fallback}", "name: fallback")]
    [InlineData("name: ${missing:-fallback}", "name: fallback")]
    [InlineData("name: ${cluster:=fallback}", "name: prod")]
    [InlineData("name: ${empty:-fallback}", "name: fallback")]
    [InlineData("name: $${cluster}", "name: ${cluster}")]
    [InlineData("cost: $5 and $cluster", "cost: $5 and $cluster")]
    [InlineData("name: ${missing}", "name: ")]
    public void SubstitutesVariables(string input, string expected) =>
        Assert.Equal(expected, PostBuildSubstitution.Substitute(input, Vars, strict: false));

    [Fact]
    public void StrictModeNamesTheUndefinedVariable()
    {
        var e = Assert.Throws<KustomizeException>(() => PostBuildSubstitution.Substitute("a: ${nope}", Vars, strict: true));
        Assert.Contains("nope", e.Message);
    }

    [Fact]
    public void DisabledAnnotationLeavesResourceAlone()
    {
        var disabled = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject
            {
                ["name"] = "a",
                ["annotations"] = new JsonObject { [PostBuildSubstitution.DisableAnnotation] = "disabled" },
            },
            ["data"] = new JsonObject { ["x"] = "${cluster}" },
        };
        var enabled = (JsonObject)disabled.DeepClone();
        enabled["metadata"]!["annotations"] = new JsonObject();

        Assert.Equal("${cluster}", PostBuildSubstitution.SubstituteResource(disabled, Vars, strict: true)["data"]!["x"]!.GetValue<string>());
        Assert.Equal("prod", PostBuildSubstitution.SubstituteResource(enabled, Vars, strict: true)["data"]!["x"]!.GetValue<string>());
    }
}
