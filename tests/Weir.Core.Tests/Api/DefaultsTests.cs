using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Api.Defaults;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;

namespace Weir.Core.Tests.Api;

public class DefaultsTests
{
    [Fact]
    public void SchemaDefaultsFillMissingFieldsLikeTheApiServer()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"OCIRepository","metadata":{"name":"my-app"},
             "spec":{"url":"oci://ghcr.io/org/app","interval":"5m","verify":{"provider":"cosign"},"timeout":"30s"}}
            """)!.AsObject();
        SchemaDefaulter.Apply(obj, CrdCatalog.SchemaFor(SourceApi.ApiVersion, OCIRepository.KindName)!);

        Assert.Equal("generic", obj["spec"]!["provider"]!.GetValue<string>());
        Assert.Equal("30s", obj["spec"]!["timeout"]!.GetValue<string>());
        Assert.Null(obj["spec"]!["ref"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"observedGeneration":-1}"""), obj["status"]));
    }

    [Fact]
    public void SchemaDefaultsReachIntoArrays()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps"},
             "spec":{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"r"},
                     "postBuild":{"substituteFrom":[{"kind":"ConfigMap","name":"vars"}]}}}
            """)!.AsObject();
        SchemaDefaulter.Apply(obj, CrdCatalog.SchemaFor(KustomizeApi.ApiVersion, Kustomization.KindName)!);

        Assert.False(obj["spec"]!["postBuild"]!["substituteFrom"]![0]!["optional"]!.GetValue<bool>());
        Assert.False(obj["spec"]!["force"]!.GetValue<bool>());
        Assert.Null(obj["spec"]!["deletionPolicy"]);
    }

    [Fact]
    public void OciRepositoryDefaults()
    {
        var spec = new OCIRepositorySpec { Url = "oci://ghcr.io/org/app", Interval = "5m", LayerSelector = new() { MediaType = "x" } }.WithDefaults();
        Assert.Equal("latest", spec.Ref!.Tag);
        Assert.Equal("60s", spec.Timeout);
        Assert.Equal("generic", spec.Provider);
        Assert.Equal("extract", spec.LayerSelector!.Operation);

        var pinned = new OCIRepositorySpec { Ref = new() { Semver = ">=1.0.0" } }.WithDefaults();
        Assert.Null(pinned.Ref!.Tag);
    }

    [Fact]
    public void GitRepositoryDefaultsToMaster() =>
        Assert.Equal("master", new GitRepositorySpec { Url = "https://x", Interval = "1m" }.WithDefaults().Ref!.Branch);

    [Theory]
    [InlineData("10m", null, "9m30s")]
    [InlineData("45s", null, "30s")]
    [InlineData("10m", "2m", "2m0s")]
    [InlineData("10m", "5s", "30s")]
    public void KustomizationTimeoutFollowsTheController(string interval, string? timeout, string expected)
    {
        var spec = new KustomizationSpec { Interval = interval, Timeout = timeout, Prune = true }.WithDefaults();
        Assert.Equal(expected, spec.Timeout);
        Assert.Equal(interval, spec.RetryInterval);
        Assert.Equal("MirrorPrune", spec.DeletionPolicy);
    }

    [Fact]
    public void HelmReleaseDefaults()
    {
        var spec = new HelmReleaseSpec
        {
            Interval = "50m",
            Chart = new HelmChartTemplate { Spec = new HelmChartTemplateSpec { Chart = "podinfo" } },
        }.WithDefaults();

        Assert.Equal("5m0s", spec.Timeout);
        Assert.Equal(5, spec.MaxHistory);
        Assert.True(spec.PersistentClient);
        Assert.Equal("*", spec.Chart!.Spec!.Version);
        Assert.Equal("50m", spec.Chart.Spec.Interval);
        Assert.Equal("ChartVersion", spec.Chart.Spec.ReconcileStrategy);
        Assert.Equal(0, new HelmReleaseSpec { MaxHistory = 0 }.WithDefaults().MaxHistory);
    }
}
