using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;

namespace Weir.Cluster.Tests;

/// <summary>
/// Real users' Flux manifests (from the shared corpus) pass the embedded server's validation of Weir's CRDs (schema,
/// defaults and CEL rules) in a server-side dry run, and the same manifests pass with Flux's own CRDs.
/// </summary>
public sealed class FluxCorpusValidationTests(WeirCrdsFixture weir, FluxCrdsFixture flux) : IClassFixture<WeirCrdsFixture>, IClassFixture<FluxCrdsFixture>
{
    [Fact]
    public async Task CorpusManifestsPassADryRunCreate()
    {
        var manifests = FluxCorpus.Manifests();
        Assert.True(manifests.Count >= 10, $"only {manifests.Count} Flux manifests found in the corpus");
        Assert.True(manifests.Select(m => m.Object["kind"]!.GetValue<string>()).Distinct().Count() >= 5, "fewer than 5 kinds in the corpus");

        foreach (var cluster in new[] { weir.Cluster, flux.Cluster })
        {
            using var http = cluster.Http();
            var failures = new List<string>();
            foreach (var (file, manifest) in manifests)
            {
                var obj = (JsonObject)manifest.DeepClone();
                obj["metadata"]!["namespace"] = "flux-system";
                var descriptor = CrdCatalog.Descriptors.Single(d => d.ApiVersion == obj["apiVersion"]!.GetValue<string>() && d.Kind == obj["kind"]!.GetValue<string>());
                var response = await http.PostAsJsonAsync(
                    new Uri(cluster.Address, $"/apis/{descriptor.ApiVersion}/namespaces/flux-system/{descriptor.Plural}?dryRun=All&fieldValidation=Strict"), obj);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{file} {obj["metadata"]!["name"]}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            Assert.True(failures.Count == 0, $"{failures.Count} of {manifests.Count} manifests rejected by {cluster.Address}:\n" + string.Join("\n", failures));
        }
    }
}
