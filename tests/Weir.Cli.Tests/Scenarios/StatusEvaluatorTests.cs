using Weir.Cli.Status;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>The verdict logic of <c>weir status</c> over hand-built objects: one case per kind of answer.</summary>
public sealed class StatusEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void AppliedNewestTagWithHealthyWorkloadsIsLive()
    {
        var report = Evaluate(Source(Semver(">=1.0.0"), "v1.6.0"), ["v1.5.0", "v1.6.0"],
            [Applied("apps", "v1.6.0", new WorkloadState("Deployment/my-app/my-app", WorkloadHealth.Current, "Deployment is available. Replicas: 2"))]);
        Assert.Equal(Verdict.Live, report.Verdict);
        Assert.Equal("live", report.Summary);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("v1.6.0", report.Version);
    }

    [Fact]
    public void NewTagNotYetSelectedWaitsForTheNextPoll()
    {
        var source = Source(Semver(">=1.0.0"), "v1.5.0", interval: "10m", updated: Now.AddSeconds(-20));
        var report = Evaluate(source, ["v1.5.0", "v1.6.0"], [Applied("apps", "v1.5.0")]);
        Assert.Equal(Verdict.Pending, report.Verdict);
        Assert.StartsWith("pending: next poll in 9m40s ", report.Summary);
        Assert.Equal(4, report.ExitCode);
    }

    [Fact]
    public void NextPollCountsWholeIntervalsFromTheLastKnownReconcile()
    {
        var source = Source(Semver(">=1.0.0"), "v1.5.0", interval: "1m", updated: Now.AddSeconds(-140));
        Assert.Equal(TimeSpan.FromSeconds(40), NextPoll.In(source, Now));
        Assert.Equal("40s", NextPoll.Format(TimeSpan.FromSeconds(40)));
        Assert.Equal("1h0m5s", NextPoll.Format(TimeSpan.FromSeconds(3605)));
    }

    [Fact]
    public void PinnedTagBlocksANewerVersion()
    {
        var report = Evaluate(Source(new OCIRepositoryRef { Tag = "v1.5.0" }, "v1.5.0"), ["v1.5.0", "v1.6.0"], [Applied("production", "v1.5.0")]);
        Assert.Equal(Verdict.Blocked, report.Verdict);
        Assert.Equal("blocked: production is pinned to v1.5.0", report.Summary);
        Assert.Equal(3, report.ExitCode);
    }

    [Fact]
    public void PinnedTagIsLiveForThePinnedVersion()
    {
        var report = Evaluate(Source(new OCIRepositoryRef { Tag = "v1.5.0" }, "v1.5.0"), ["v1.5.0", "v1.6.0"], [Applied("production", "v1.5.0")], version: "v1.5.0");
        Assert.Equal(Verdict.Live, report.Verdict);
    }

    [Fact]
    public void VersionOutsideTheSemverRangeIsBlocked()
    {
        var report = Evaluate(Source(Semver("1.x"), "v1.4.0"), ["v1.4.0", "v2.0.0"], [Applied("apps", "v1.4.0")]);
        Assert.Equal("blocked: v2.0.0 is outside my-app's semver range 1.x", report.Summary);
    }

    [Fact]
    public void MissingTagInTheRegistryIsBlocked()
    {
        var report = Evaluate(Source(Semver(">=1.0.0"), "v1.4.0"), ["v1.4.0"], [Applied("apps", "v1.4.0")], version: "v1.5.0");
        Assert.Equal("blocked: the registry has no tag v1.5.0", report.Summary);
    }

    [Fact]
    public void FailingSourceFailsWithItsMessage()
    {
        const string message = "failed to determine the artifact tag for 'oci://r/my-app': no match found for semver: 2.x";
        var source = Source(Semver("2.x"), "v1.4.0", ready: (ConditionStatus.False, "ReadOperationFailed", message));
        var report = Evaluate(source, ["v1.4.0"], [Applied("apps", "v1.4.0")]);
        Assert.Equal(Verdict.Failed, report.Verdict);
        Assert.Equal("failed: " + message, report.Summary);
        Assert.Equal(1, report.ExitCode);
    }

    [Fact]
    public void FailedKustomizationFailsWithItsMessage()
    {
        const string message = "kustomize build failed: deployment.yaml: yaml: line 7: mapping values are not allowed in this context";
        var report = Evaluate(Source(Semver(">=1.0.0"), "v1.1.0"), ["v1.1.0"],
            [Consumer("apps", (ConditionStatus.False, ConditionReasons.BuildFailed, message), null)]);
        Assert.Equal("failed: " + message, report.Summary);
    }

    [Fact]
    public void DependencyNotReadyBlocks()
    {
        var report = Evaluate(Source(Semver(">=1.0.0"), "v2.1.0"), ["v2.1.0"],
            [Consumer("apps", (ConditionStatus.False, ConditionReasons.DependencyNotReady, "dependency 'flux-system/infra' is not ready"), null)]);
        Assert.Equal("blocked: dependency 'flux-system/infra' is not ready", report.Summary);
    }

    [Fact]
    public void ReconcilingKustomizationIsPending()
    {
        var report = Evaluate(Source(Semver(">=1.0.0"), "v2.1.0"), ["v2.1.0"],
            [Consumer("apps", (ConditionStatus.Unknown, ConditionReasons.Progressing, "Reconciliation in progress"), "v2.0.0@" + Digest)]);
        Assert.Equal("pending: apps: Reconciliation in progress", report.Summary);
    }

    [Fact]
    public void ARetryAfterAFailedAttemptIsStillAFailure()
    {
        var retrying = Consumer("apps", (ConditionStatus.Unknown, ConditionReasons.Progressing, "Reconciliation in progress"), "v2.1.0@" + Digest)
            with
        { LastFailure = "the last attempt at v2.2.0 ended HealthCheckFailed (2 attempts)" };
        var report = Evaluate(Source(Semver(">=1.0.0"), "v2.2.0"), ["v2.2.0"], [retrying]);
        Assert.Equal(Verdict.Failed, report.Verdict);
        Assert.Equal("failed: apps is retrying: the last attempt at v2.2.0 ended HealthCheckFailed (2 attempts)", report.Summary);
    }

    [Fact]
    public void TheLastFailureComesFromTheNewestHistoryEntryOfTheAttemptedRevision()
    {
        static ReconcileSnapshot Entry(string revision, string outcome, int minute, long total) => new()
        {
            Digest = "sha256:" + minute,
            LastReconciled = Now.AddMinutes(minute),
            LastReconciledStatus = outcome,
            TotalReconciliations = total,
            Metadata = new Dictionary<string, string> { ["revision"] = revision },
        };

        var v21 = "v2.1.0@" + Digest;
        var v22 = "v2.2.0@" + Digest;
        Assert.Equal("the last attempt at v2.2.0 ended HealthCheckFailed (3 attempts)", StatusCollector.LastFailure(new KustomizationStatus
        {
            LastAttemptedRevision = v22,
            History = [Entry(v21, ConditionReasons.ReconciliationSucceeded, 1, 1), Entry(v22, ConditionReasons.HealthCheckFailed, 5, 3)],
        }));
        Assert.Null(StatusCollector.LastFailure(new KustomizationStatus
        {
            LastAttemptedRevision = v22,
            History = [Entry(v22, ConditionReasons.HealthCheckFailed, 1, 1), Entry(v22, ConditionReasons.ReconciliationSucceeded, 5, 1)],
        }));
        Assert.Null(StatusCollector.LastFailure(new KustomizationStatus
        {
            LastAttemptedRevision = "v2.3.0@" + Digest,
            History = [Entry(v22, ConditionReasons.HealthCheckFailed, 5, 1)],
        }));
    }

    [Fact]
    public void RollingWorkloadIsPendingAndAFailedOneFails()
    {
        var rolling = Evaluate(Source(Semver(">=1.0.0"), "v2.1.0"), ["v2.1.0"],
            [Applied("apps", "v2.1.0", new WorkloadState("Deployment/a/my-app", WorkloadHealth.InProgress, "Available: 1/2"))]);
        Assert.Equal("pending: Deployment/a/my-app is rolling out: Available: 1/2", rolling.Summary);
        var failed = Evaluate(Source(Semver(">=1.0.0"), "v2.1.0"), ["v2.1.0"],
            [Applied("apps", "v2.1.0", new WorkloadState("Deployment/a/my-app", WorkloadHealth.Failed, "Progress deadline exceeded"))]);
        Assert.Equal("failed: Deployment/a/my-app: Progress deadline exceeded", failed.Summary);
    }

    [Fact]
    public void NoConsumerBlocks()
    {
        var report = Evaluate(Source(Semver(">=1.0.0"), "v2.1.0"), ["v2.1.0"], []);
        Assert.Equal("blocked: no Kustomization or HelmRelease uses OCIRepository my-app", report.Summary);
    }

    [Fact]
    public void UnlistableRegistryFallsBackToTheSelectedVersion()
    {
        var report = StatusEvaluator.Evaluate(new AppStatusInput
        {
            Source = Source(Semver(">=1.0.0"), "v2.1.0"),
            Consumers = [Applied("apps", "v2.1.0")],
            Registry = new RegistryTags(null, "unauthorized"),
            Now = Now,
        });
        Assert.Equal(Verdict.Live, report.Verdict);
        Assert.Contains(report.Chain, s => s.State == StepState.Unknown && s.Detail == "cannot list tags: unauthorized");
    }

    [Theory]
    [InlineData("v1.2.0@sha256:abc", "v1.2.0")]
    [InlineData("sha256:abc", null)]
    [InlineData("", null)]
    public void TagOfReadsOciRevisions(string revision, string? tag) => Assert.Equal(tag, StatusEvaluator.TagOf(revision));

    [Fact]
    public void NewestTagComparesVersionsNotStrings() =>
        Assert.Equal("v1.10.0", StatusEvaluator.NewestTag(["v1.9.0", "latest", "v1.10.0", "v1.2.0"]));

    private static StatusReport Evaluate(OCIRepository source, string[] tags, ConsumerState[] consumers, string? version = null) =>
        StatusEvaluator.Evaluate(new AppStatusInput
        {
            Source = source,
            Consumers = consumers,
            Registry = new RegistryTags(tags),
            RequestedVersion = version,
            Now = Now,
        });

    private static OCIRepositoryRef Semver(string range) => new() { Semver = range };

    private static OCIRepository Source(OCIRepositoryRef reference, string selected, string interval = "1m", DateTimeOffset? updated = null,
        (string Status, string Reason, string Message)? ready = null)
    {
        var at = updated ?? Now.AddSeconds(-10);
        var r = ready ?? (ConditionStatus.True, ConditionReasons.Succeeded, $"stored artifact for digest '{selected}@{Digest}'");
        return new OCIRepository
        {
            Metadata = new ObjectMeta { Name = "my-app", Namespace = "flux-system" },
            Spec = new OCIRepositorySpec { Url = "oci://registry.example/my-app", Interval = interval, Ref = reference },
            Status = new OCIRepositoryStatus
            {
                Artifact = new Artifact { Revision = $"{selected}@{Digest}", LastUpdateTime = at },
                Conditions = [new Condition { Type = ConditionTypes.Ready, Status = r.Status, Reason = r.Reason, Message = r.Message, LastTransitionTime = at }],
            },
        };
    }

    private static ConsumerState Applied(string name, string tag, params WorkloadState[] workloads) =>
        Consumer(name, (ConditionStatus.True, ConditionReasons.ReconciliationSucceeded, $"Applied revision: {tag}@{Digest}"), $"{tag}@{Digest}", workloads);

    private static ConsumerState Consumer(string name, (string Status, string Reason, string Message) ready, string? applied, params WorkloadState[] workloads) =>
        new("Kustomization", "flux-system", name, false,
            [new Condition { Type = ConditionTypes.Ready, Status = ready.Status, Reason = ready.Reason, Message = ready.Message, LastTransitionTime = Now }],
            applied, workloads);
}
