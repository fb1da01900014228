using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary><c>weir build ks</c> with post-build substitution: drone/envsubst's results, Flux's errors as one ✗ line.</summary>
public sealed class FluxBuildSubstitutionCommandTests : IDisposable
{
    private static readonly Dictionary<string, string> Vars = new() { ["CLUSTER"] = "prod-eu", ["APP"] = "navidrome", ["KOPIUR_CLAIM"] = "actual-data" };

    private readonly string dir = Directory.CreateTempSubdirectory("weir-subst-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ExpandsAsDroneEnvsubst()
    {
        string[] expressions = ["${CLUSTER^^}", "${KOPIUR_CLAIM:-${APP}}", "${UNSET_CLAIM:-${APP}}", "${CLUSTER/-eu/-us}", "${APP:0:4}"];
        var (code, stdout, stderr) = Build(expressions);

        Assert.True(code == 0, stderr);
        var data = KubeYaml.ParseAll(stdout).OfType<JsonObject>().Single()["data"]!;
        var expected = EnvsubstOracle.Evaluate(expressions, Vars);
        for (var i = 0; i < expressions.Length; i++)
        {
            Assert.Equal(expected[i].Output, data[$"k{i}"]!.GetValue<string>());
        }
    }

    [Fact]
    public void ABadExpressionIsOneErrorLine()
    {
        var (code, stdout, stderr) = Build(["${APP"]);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var cause = EnvsubstOracle.Evaluate("k0: ${APP\nkind: ConfigMap\n", Vars).Error;
        Assert.Equal($"✗ var substitution failed for 'settings': envsubst error: variable substitution failed: {cause}\n", stderr);
    }

    [Fact]
    public void StrictSubstituteRefusesUnsetVariables()
    {
        // Unset reads as empty, and the empty value reads back as null (as Flux reads the substituted YAML).
        var (lenient, stdout, _) = Build(["${UNSET}"]);
        Assert.Equal(0, lenient);
        Assert.Contains("k0: null\n", stdout);

        var (code, _, stderr) = Build(["${UNSET}"], "--strict-substitute");
        Assert.Equal(1, code);
        Assert.Equal("✗ var substitution failed for 'settings': envsubst error: variable substitution failed: variable not set (strict mode): \"UNSET\"\n", stderr);
    }

    private ProcessResult Build(string[] expressions, params string[] extra)
    {
        var path = Path.Combine(dir, "apps");
        Directory.CreateDirectory(path);
        var data = string.Join("", expressions.Select((e, i) => $"  k{i}: \"{e}\"\n"));
        File.WriteAllText(Path.Combine(path, "cm.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n{data}");
        var ks = Path.Combine(dir, "ks.yaml");
        var substitute = string.Join("", Vars.Select(v => $"      {v.Key}: {v.Value}\n"));
        File.WriteAllText(ks, $"apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  postBuild:\n    substitute:\n{substitute}");

        return TestProcess.Run("dotnet", [WeirRun.Dll, "build", "ks", "apps", "--path", path, "--dry-run", "--kustomization-file", ks, .. extra]);
    }
}
