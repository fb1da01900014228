using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;

namespace Weir.Cluster.Tests;

/// <summary>
/// Real projects' CRDs that carry <c>x-kubernetes-validations</c> (kube-prometheus, the OpenTelemetry operator, from
/// the shared corpus) are accepted, as Kubernetes accepts them, and their objects in the corpus pass the rules.
/// </summary>
public sealed class CorpusCrdRuleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    /// <summary>The documents of every corpus file that mentions the CRDs or their API groups (read once).</summary>
    private static readonly Lazy<List<(string File, JsonObject Document)>> Relevant = new(() =>
    [
        .. Directory.EnumerateFiles(TestPaths.Corpus, "*.yaml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f) is var text && (text.Contains("x-kubernetes-validations", StringComparison.Ordinal) ||
                text.Contains("monitoring.coreos.com", StringComparison.Ordinal) || text.Contains("opentelemetry.io", StringComparison.Ordinal)))
            .SelectMany(f => Documents(f).Select(d => (Path.GetRelativePath(TestPaths.Corpus, f), d))),
    ]);

    private static IEnumerable<JsonObject> Documents(string file)
    {
        try
        {
            return KubeYaml.ParseAll(File.ReadAllText(file)).OfType<JsonObject>().ToList();
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return []; // Templates and deliberately broken inputs.
        }
    }

    private static bool IsCrdWithRules(JsonObject d) =>
        d["apiVersion"]?.GetValue<string>() == "apiextensions.k8s.io/v1" && d["kind"]?.GetValue<string>() == "CustomResourceDefinition" &&
        d.ToJsonString().Contains("x-kubernetes-validations", StringComparison.Ordinal);

    [Fact]
    public async Task CrdsWithRulesFromRealProjectsAreAcceptedAndTheirObjectsPass()
    {
        var crds = Relevant.Value
            .Where(d => IsCrdWithRules(d.Document))
            .ToList();
        Assert.True(crds.Count >= 7, $"only {crds.Count} CRDs with rules in the corpus");
        using var http = cluster.Http();
        var crdUri = new Uri(cluster.Address, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
        var rejected = new List<string>();
        foreach (var (file, crd) in crds)
        {
            var response = await http.PostAsJsonAsync(new Uri(crdUri + "?dryRun=All"), crd);
            if (!response.IsSuccessStatusCode)
            {
                rejected.Add($"{file} {crd["metadata"]!["name"]}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(rejected.Count == 0, string.Join("\n", rejected));

        var installed = new Dictionary<(string ApiGroup, string Kind), (string Plural, bool Namespaced)>();
        foreach (var (_, crd) in crds.DistinctBy(c => c.Document["metadata"]!["name"]!.GetValue<string>()))
        {
            (await http.PostAsJsonAsync(crdUri, crd)).EnsureSuccessStatusCode();
            var spec = crd["spec"]!;
            installed[(spec["group"]!.GetValue<string>(), spec["names"]!["kind"]!.GetValue<string>())] =
                (spec["names"]!["plural"]!.GetValue<string>(), spec["scope"]!.GetValue<string>() == "Namespaced");
        }

        var objects = Relevant.Value
            .Where(d => d.Document["apiVersion"]?.GetValue<string>() is { } v && v.Contains('/') &&
                installed.ContainsKey((v[..v.IndexOf('/')], d.Document["kind"]?.GetValue<string>() ?? "")))
            .ToList();
        Assert.True(objects.Count >= 4, $"only {objects.Count} objects of those CRDs in the corpus");
        (await http.PostAsJsonAsync(new Uri(cluster.Address, "/api/v1/namespaces"), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "corpus" },
        })).EnsureSuccessStatusCode();
        foreach (var (file, obj) in objects)
        {
            var apiVersion = obj["apiVersion"]!.GetValue<string>();
            var (plural, namespaced) = installed[(apiVersion[..apiVersion.IndexOf('/')], obj["kind"]!.GetValue<string>())];
            var body = (JsonObject)obj.DeepClone();
            body["metadata"]!.AsObject().Remove("namespace");
            var path = namespaced ? $"/apis/{apiVersion}/namespaces/corpus/{plural}" : $"/apis/{apiVersion}/{plural}";
            var response = await http.PostAsJsonAsync(new Uri(cluster.Address, path + "?dryRun=All"), body);
            if (!response.IsSuccessStatusCode)
            {
                rejected.Add($"{file} {obj["kind"]}/{obj["metadata"]!["name"]}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        Assert.True(rejected.Count == 0, string.Join("\n", rejected));
    }
}
