using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Weir.Core.Conditions;

namespace Weir.Core.Tests.Conditions;

public class ConditionSetTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 8, 14, 30, 0, 123, TimeSpan.Zero));

    [Fact]
    public void TransitionTimeMovesOnlyWhenStatusChanges()
    {
        var set = new ConditionSet(generation: 3, clock: _clock);
        set.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "Reconciliation in progress");
        var first = set.Get(ConditionTypes.Ready)!.LastTransitionTime;
        Assert.Equal(new DateTimeOffset(2026, 6, 8, 14, 30, 0, TimeSpan.Zero), first);

        _clock.Advance(TimeSpan.FromMinutes(1));
        set.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "Building manifests");
        Assert.Equal(first, set.Get(ConditionTypes.Ready)!.LastTransitionTime);
        Assert.Equal("Building manifests", set.Get(ConditionTypes.Ready)!.Message);

        _clock.Advance(TimeSpan.FromMinutes(1));
        set.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, "Applied revision: v2.1.0@sha256:abc");
        Assert.Equal(first.AddMinutes(2), set.Get(ConditionTypes.Ready)!.LastTransitionTime);
        Assert.Equal(3, set.Get(ConditionTypes.Ready)!.ObservedGeneration);
    }

    [Fact]
    public void ReconcilingAndStalledExistOnlyWhileTrue()
    {
        var set = new ConditionSet(clock: _clock);
        set.MarkReconciling(ConditionReasons.Progressing, "Fetching manifests");
        set.MarkTrue(ConditionTypes.FetchFailed, ConditionReasons.OCIArtifactPullFailed, "failed to pull artifact");
        Assert.True(set.IsTrue(ConditionTypes.Reconciling));
        Assert.True(set.IsTrue(ConditionTypes.FetchFailed));

        set.MarkFalse(ConditionTypes.Reconciling, ConditionReasons.Succeeded, "done");
        set.MarkUnknown(ConditionTypes.FetchFailed, "x", "y");
        Assert.Empty(set.Items);

        // Stalled and Reconciling exclude each other, as Flux's MarkStalled / MarkReconciling do.
        set.MarkReconciling(ConditionReasons.Progressing, "Fetching manifests");
        set.MarkStalled("InvalidCELExpression", "bad expression");
        Assert.Equal(["Stalled"], set.Items.Select(c => c.Type));
        set.MarkUnknown(ConditionTypes.Stalled, "x", "y");
        Assert.Empty(set.Items);
    }

    [Fact]
    public void ReadySummaryTakesTheFirstFailingConditionInPriorityOrder()
    {
        var set = new ConditionSet(clock: _clock);
        set.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, "stored artifact for digest 'v1@sha256:aa'");
        set.SummarizeReady(ReadySummary.Source);
        Assert.Equal((ConditionStatus.True, ConditionReasons.Succeeded), Summary(set));
        Assert.Equal("stored artifact for digest 'v1@sha256:aa'", set.Get(ConditionTypes.Ready)!.Message);

        // Reconciling and FetchFailed are both abnormal and True; FetchFailed comes first in the priority order.
        set.MarkReconciling(ConditionReasons.ProgressingWithRetry, "building artifact");
        set.MarkTrue(ConditionTypes.FetchFailed, ConditionReasons.OCIArtifactPullFailed, "failed to pull artifact from 'oci://r/a'");
        set.SummarizeReady(ReadySummary.Source);
        Assert.Equal((ConditionStatus.False, ConditionReasons.OCIArtifactPullFailed), Summary(set));
        Assert.Equal("failed to pull artifact from 'oci://r/a'", set.Get(ConditionTypes.Ready)!.Message);

        // An abnormal True condition outranks a normal True one whatever the priority order says.
        set.Remove(ConditionTypes.FetchFailed);
        set.SummarizeReady(ReadySummary.Source);
        Assert.Equal((ConditionStatus.False, ConditionReasons.ProgressingWithRetry), Summary(set));
    }

    [Fact]
    public void AFalseBiPolarConditionMakesReadyFalse()
    {
        var set = new ConditionSet(clock: _clock);
        set.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, "stored artifact for digest 'v1@sha256:aa'");
        set.MarkFalse(ConditionTypes.SourceVerified, "VerificationError", "failed to verify the signature");
        set.SummarizeReady(ReadySummary.Source);
        Assert.Equal((ConditionStatus.False, "VerificationError"), Summary(set));
    }

    [Fact]
    public void UnknownConditionsSummariseAsUnknown()
    {
        var set = new ConditionSet(clock: _clock);
        set.MarkUnknown(ConditionTypes.ArtifactInStorage, ConditionReasons.Progressing, "building artifact");
        set.SummarizeReady(ReadySummary.Source);
        Assert.Equal((ConditionStatus.Unknown, ConditionReasons.Progressing), Summary(set));
    }

    [Fact]
    public void ConditionsAreKeptInFluxsOrder()
    {
        var set = new ConditionSet(clock: _clock);
        set.MarkTrue(ConditionTypes.Healthy, ConditionReasons.Succeeded, "Health check passed in 1s");
        set.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, "stored");
        set.MarkFalse(ConditionTypes.Ready, ConditionReasons.BuildFailed, "kustomize build failed");
        set.MarkReconciling(ConditionReasons.ProgressingWithRetry, "Building manifests");
        Assert.Equal(["Reconciling", "Ready", "ArtifactInStorage", "Healthy"], set.Items.Select(c => c.Type));

        set.MarkStalled(ConditionReasons.InvalidCELExpression, "bad expression");
        Assert.Equal(["Stalled", "Ready", "ArtifactInStorage", "Healthy"], set.Items.Select(c => c.Type));

        set.MarkReconciling(ConditionReasons.Progressing, "Fetching manifests");
        Assert.Equal(["Reconciling", "Ready", "ArtifactInStorage", "Healthy"], set.Items.Select(c => c.Type));
    }

    [Fact]
    public void SummaryWithNothingToSummarizeLeavesReadyAlone()
    {
        var set = new ConditionSet(clock: _clock);
        set.SummarizeReady(new ReadySummary([ConditionTypes.FetchFailed], new HashSet<string> { ConditionTypes.FetchFailed }));
        Assert.Null(set.Get(ConditionTypes.Ready));
    }

    [Fact]
    public void RejectsAnInvalidStatusAndTruncatesHugeMessages()
    {
        var set = new ConditionSet(clock: _clock);
        Assert.Throws<ArgumentException>(() => set.Set(ConditionTypes.Ready, "true", "r", "m"));
        set.MarkFalse(ConditionTypes.Ready, ConditionReasons.BuildFailed, new string('x', 30000));
        Assert.Equal(ConditionSet.MaxMessageLength, set.Get(ConditionTypes.Ready)!.Message.Length);
    }

    [Fact]
    public void RoundTripsThroughStatusJson()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps","generation":7},
             "status":{"conditions":[{"type":"Ready","status":"True","observedGeneration":6,
               "lastTransitionTime":"2026-06-08T14:30:00Z","reason":"ReconciliationSucceeded","message":"Applied revision: v1"}]}}
            """)!.AsObject();
        var set = ConditionJson.Read(obj, _clock);
        Assert.Equal(7, set.Generation);
        Assert.True(set.IsTrue(ConditionTypes.Ready));

        set.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, "Applied revision: v2");
        ConditionJson.Write(obj, set);
        var written = obj["status"]!["conditions"]![0]!;
        Assert.Equal("2026-06-08T14:30:00Z", written["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal(7, written["observedGeneration"]!.GetValue<long>());
        Assert.Equal("Applied revision: v2", written["message"]!.GetValue<string>());
    }

    private static (string, string) Summary(ConditionSet set) =>
        (set.Get(ConditionTypes.Ready)!.Status, set.Get(ConditionTypes.Ready)!.Reason);
}
