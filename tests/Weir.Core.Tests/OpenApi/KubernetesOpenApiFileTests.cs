using System.IO.Compression;
using System.Text.Json.Nodes;
using Weir.Core.OpenApi;

namespace Weir.Core.Tests.OpenApi;

/// <summary>
/// The OpenAPI definitions in the repository (src/Weir.Core/OpenApi) are exactly the shared Kubernetes reference's
/// definitions, descriptions included (kubectl explain shows them): nothing dropped, nothing changed
/// (scripts/generate-kubernetes-openapi).
/// </summary>
public class KubernetesOpenApiFileTests
{
    [Fact]
    public void TheRepositoryCopyIsTheSharedReferencesDefinitions()
    {
        using var gz = new GZipStream(File.OpenRead(TestPaths.SharedReference("kubernetes-openapi-v1.21.2.json.gz")), CompressionMode.Decompress);
        var reference = JsonNode.Parse(gz)!["definitions"]!.AsObject();
        var compact = JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "src", "Weir.Core", "OpenApi", "kubernetes-openapi-v1.21.2.json")))!["definitions"]!.AsObject();

        Assert.Equal(reference.Select(p => p.Key), compact.Select(p => p.Key));
        var differing = reference.Where(p => !JsonNode.DeepEquals(p.Value, compact[p.Key])).Select(p => p.Key).ToList();
        Assert.True(differing.Count == 0, "differ from the reference: " + string.Join(", ", differing.Take(10)));
    }

    [Fact]
    public void TheEmbeddedCopyAnswersPatchQuestions()
    {
        var api = KubernetesOpenApi.Instance;
        var containers = api.PatchMetaFor(new("apps", "v1", "Deployment"), ["spec", "template", "spec", "containers"]);
        Assert.Equal(("merge", "name"), (containers.Strategy, containers.MergeKey));
        Assert.Equal(618, api.AllDefinitions().Count());
    }

    [Fact]
    public void TheServerCopyIsTheVersionTheServerReportsAndKnowsNewerFields()
    {
        Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "src", "Weir.Core", "OpenApi", $"kubernetes-openapi-{KubernetesOpenApi.ServerVersion}.json")));
        var api = KubernetesOpenApi.Server;
        var claimSpec = api.Definition("io.k8s.api.core.v1.PersistentVolumeClaimSpec");
        Assert.Equal("#/definitions/io.k8s.api.core.v1.TypedObjectReference", api.Property(claimSpec, "dataSourceRef")?["$ref"]?.GetValue<string>());
        Assert.Null(KubernetesOpenApi.Instance.Property(KubernetesOpenApi.Instance.Definition("io.k8s.api.core.v1.PersistentVolumeClaimSpec"), "dataSourceRef"));

        // The list markers of fields 1.21.2 already had are kept.
        var containers = api.PatchMetaFor(new("apps", "v1", "Deployment"), ["spec", "template", "spec", "containers"]);
        Assert.Equal(("merge", "name"), (containers.Strategy, containers.MergeKey));
        var ports = api.PatchMetaFor(new("", "v1", "Service"), ["spec", "ports"]);
        Assert.Equal(["port", "protocol"], ports.ListMapKeys);
    }
}
