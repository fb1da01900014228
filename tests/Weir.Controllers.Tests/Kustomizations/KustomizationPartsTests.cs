using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Api.Kustomize;

namespace Weir.Controllers.Tests.Kustomizations;

public sealed class KustomizationPartsTests
{
    private static readonly Dictionary<string, string> Meta = new() { ["revision"] = "v1@sha256:1" };

    [Fact]
    public void HistoryCountsRepeatsAndKeepsTheNewestFive()
    {
        var start = DateTimeOffset.Parse("2026-11-23T00:00:00Z");
        var history = ReconcileHistory.Upsert(null, "sha256:a", start, TimeSpan.FromSeconds(1.5), "ReconciliationSucceeded", Meta);
        history = ReconcileHistory.Upsert(history, "sha256:a", start.AddMinutes(1), TimeSpan.FromMilliseconds(250), "ReconciliationSucceeded", Meta);
        Assert.Single(history);
        Assert.Equal(2, history[0]!["totalReconciliations"]!.GetValue<long>());
        Assert.Equal("2026-11-23T00:00:00Z", history[0]!["firstReconciled"]!.GetValue<string>());
        Assert.Equal("2026-11-23T00:01:00Z", history[0]!["lastReconciled"]!.GetValue<string>());
        Assert.Equal("250ms", history[0]!["lastReconciledDuration"]!.GetValue<string>());

        history = ReconcileHistory.Upsert(history, "sha256:a", start.AddMinutes(2), TimeSpan.FromSeconds(1), "HealthCheckFailed", Meta);
        Assert.Equal(["HealthCheckFailed", "ReconciliationSucceeded"], history.Select(h => h!["lastReconciledStatus"]!.GetValue<string>()));
        history = ReconcileHistory.Upsert(history, "sha256:a", start.AddMinutes(3), TimeSpan.FromSeconds(1), "ReconciliationSucceeded", Meta);
        Assert.Equal(["ReconciliationSucceeded", "HealthCheckFailed"], history.Select(h => h!["lastReconciledStatus"]!.GetValue<string>()));
        for (var i = 0; i < 6; i++)
        {
            history = ReconcileHistory.Upsert(history, $"sha256:{i}", start.AddMinutes(10 + i), TimeSpan.FromSeconds(1), "ReconciliationSucceeded", Meta);
        }

        Assert.Equal(ReconcileHistory.MaxSize, history.Count);
        Assert.Equal("sha256:5", history[0]!["digest"]!.GetValue<string>());
    }

    private static JsonObject Dependency(string ready, long generation, long observed, string? lastApplied, string source = "apps") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = "infra", ["namespace"] = "flux-system", ["generation"] = generation },
        ["spec"] = new JsonObject { ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = source } },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = observed,
            ["lastAppliedRevision"] = lastApplied,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready }),
        },
    };

    private static readonly KustomizationSpec Spec = new() { SourceRef = new KustomizationSourceReference { Kind = "OCIRepository", Name = "apps" } };

    [Fact]
    public void DependencyRules()
    {
        Assert.Null(DependencyCheck.NotReady(Dependency("True", 1, 1, "v2@sha256:x"), Spec, "flux-system", "v2@sha256:x"));
        Assert.Equal("dependency '{0}' is not ready", DependencyCheck.NotReady(Dependency("False", 1, 1, "v2@sha256:x"), Spec, "flux-system", "v2@sha256:x"));
        Assert.Equal("dependency '{0}' is not ready", DependencyCheck.NotReady(Dependency("True", 2, 1, "v2@sha256:x"), Spec, "flux-system", "v2@sha256:x"));
        Assert.Equal("dependency '{0}' revision is not up to date",
            DependencyCheck.NotReady(Dependency("True", 1, 1, "v1@sha256:x"), Spec, "flux-system", "v2@sha256:x"));
        // Another source's revision is not compared.
        Assert.Null(DependencyCheck.NotReady(Dependency("True", 1, 1, "v1@sha256:x", source: "infra"), Spec, "flux-system", "v2@sha256:x"));
    }
}
