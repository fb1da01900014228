using System.Text;
using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests;

/// <summary>
/// <c>key: null</c> in a strategic merge patch, as kustomize (kyaml's merge2) applies it: it deletes the field, and
/// what the patch adds comes without its null fields — in maps and in elements of lists merged by key — while lists
/// that replace keep them, and so does the target; a map, a list and a scalar do not merge into one another.
/// Checked against <c>kubectl kustomize</c> byte for byte.
/// </summary>
public sealed class StrategicMergeNullDifferentialTests : IDisposable
{
    private const string Release = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: hr\nspec:\n";
    private const string Deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n";

    private const string Resources = Release + """
          keep: null
          values:
            a: 1
            chart:
              defaults:
                x: 1
                y: 2
            list:
            - name: one
              v: null
        ---
        """ + "\n" + Deployment + """
              containers:
              - name: c
                image: x
                env: null
                resources:
                  limits:
                    cpu: 1

        """;

    private readonly string dir = Directory.CreateTempSubdirectory("weir-smpnull-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void NullsInHelmValuesAndContainersApplyAsKustomizeAppliesThem() =>
        Assert.True(AssertSameAsKubectl(Release + """
              values:
                a: null
                absent: null
                chart:
                  defaults:
                    y: null
                    z: null
                fresh:
                  p: null
                  deep: {k: null, j: 1}
                  list: [{a: null, b: 1}, null]
                list:
                - name: two
                  w: null
              emptied:
                k: null
            ---
            """ + "\n" + Deployment + """
                  containers:
                  - name: c
                    args: null
                    resources:
                      limits: null
                      requests: {cpu: null, memory: 1}
                  - name: side
                    image: y
                    command: null
                    ports:
                    - containerPort: 80
                      name: null
                  initContainers:
                  - name: init
                    env:
                    - name: A
                      value: null
                  tolerations:
                  - key: k
                    value: null
                  volumes: null
            """));

    [Fact]
    public void RandomPatchesWithNullsApplyAsKustomizeAppliesThem()
    {
        var built = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            var rnd = new Random(seed);
            var values = new StringBuilder();
            RandomMap(values, rnd, "    ", 0, ["a", "chart", "defaults", "x", "y", "fresh", "list", "n"]);
            var container = new StringBuilder();
            RandomMap(container, rnd, "        ", 1, ["image", "args", "env", "resources", "limits", "requests", "cpu", "securityContext"]);
            var name = rnd.Next(2) == 0 ? "c" : "added";
            built += AssertSameAsKubectl($"{Release}  values:\n{values}---\n{Deployment}      containers:\n      - name: {name}\n{container}") ? 1 : 0;
        }

        Assert.True(built >= 5, $"only {built} of 8 random patches built");
    }

    /// <summary>A map whose leaves are null half the time, nested up to three levels, with lists of maps now and then.</summary>
    private static void RandomMap(StringBuilder text, Random rnd, string indent, int depth, string[] keys)
    {
        foreach (var key in keys.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, 4)))
        {
            switch (depth < 3 ? rnd.Next(5) : rnd.Next(2))
            {
                case 0:
                    text.Append($"{indent}{key}: null\n");
                    break;
                case 1:
                    text.Append($"{indent}{key}: {rnd.Next(10)}\n");
                    break;
                case 2:
                case 3:
                    text.Append($"{indent}{key}:\n");
                    RandomMap(text, rnd, indent + "  ", depth + 1, keys);
                    break;
                default:
                    text.Append($"{indent}{key}:\n{indent}- name: e{rnd.Next(3)}\n");
                    RandomMap(text, rnd, indent + "  ", depth + 1, keys);
                    break;
            }
        }
    }

    /// <summary>Weir builds what kubectl builds, or fails where kubectl fails; true when both built.</summary>
    private bool AssertSameAsKubectl(string patch)
    {
        File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), "resources:\n- resources.yaml\npatches:\n- path: patch.yaml\n");
        File.WriteAllText(Path.Combine(dir, "resources.yaml"), Resources);
        File.WriteAllText(Path.Combine(dir, "patch.yaml"), patch);
        var (code, stdout, stderr) = KubectlOracle.Kustomize(dir);
        if (code != 0)
        {
            // kyaml refuses to merge a map, a list and a scalar into one another; so must Weir.
            Assert.Contains("wrong node kind", stderr);
            var e = Assert.Throws<KustomizeException>(() => Kustomizer.BuildYaml(dir));
            Assert.Contains("wrong node kind", e.Message);
            return false;
        }

        Assert.Equal(stdout, Kustomizer.BuildYaml(dir));
        return true;
    }
}
