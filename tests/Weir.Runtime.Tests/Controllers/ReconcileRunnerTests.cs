using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Controllers;

/// <summary>
/// The runner every reconciler stands on, driven with scripted steps against the embedded API server: what each
/// outcome writes (conditions, lastHandledReconcileAt, observedGeneration), the one event it records, the requeue
/// it asks for, and the finalizer, suspend and delete handling around the steps.
/// </summary>
public sealed class ReconcileRunnerTests : IAsyncLifetime
{
    private const string RequestedAt = "2026-12-01T10:00:00Z";
    private static readonly ObjectKey Key = new("flux-system", "apps");
    private readonly EmbeddedCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    private ResourceClient Client => _cluster.Client;

    [Fact]
    public async Task SuccessRecordsTheRequestTheGenerationAndOneEventAndRequeuesAtTheInterval()
    {
        await CreateAsync();
        var steps = new ScriptedSteps(async (run, token) =>
        {
            run.Conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "Reconciliation in progress");
            await run.ProgressAsync("Building manifests for revision v1", token);
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, "Applied revision: v1");
        });

        var result = await RunAsync(steps);

        Assert.Equal(ReconcileResult.After(TimeSpan.FromMinutes(5)), result);
        var obj = await GetAsync();
        Assert.Contains(ReconcilerSettings.FluxFinalizer, obj.Metadata()!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal(RequestedAt, obj["status"]!["lastHandledReconcileAt"]!.GetValue<string>());
        Assert.Equal(1, obj["status"]!["observedGeneration"]!.GetValue<long>());
        var conditions = ConditionJson.Read(obj);
        Assert.Null(conditions.Get(ConditionTypes.Reconciling));
        Assert.Equal(("True", "Applied revision: v1"), (conditions.Get(ConditionTypes.Ready)!.Status, conditions.Get(ConditionTypes.Ready)!.Message));
        var events = await EventsAsync();
        var only = Assert.Single(events);
        Assert.Equal(("Normal", "ReconciliationSucceeded", "finished"), (Text(only, "type"), Text(only, "reason"), Text(only, "message")));
    }

    [Fact]
    public async Task AFailureIsReadyFalseWithItsReasonReconcilingRetriesAndOneWarningIsRecorded()
    {
        await CreateAsync();
        var steps = new ScriptedSteps(async (run, token) =>
        {
            await run.ProgressAsync("Building manifests for revision v1", token);
            throw new ReconcileFailure(ConditionReasons.BuildFailed, "kustomize build failed: no kustomization.yaml");
        });

        var result = await RunAsync(steps);

        Assert.Equal(ReconcileResult.After(TimeSpan.FromMinutes(2)), result);
        var obj = await GetAsync();
        var conditions = ConditionJson.Read(obj);
        var ready = conditions.Get(ConditionTypes.Ready)!;
        Assert.Equal(("False", "BuildFailed", "kustomize build failed: no kustomization.yaml"), (ready.Status, ready.Reason, ready.Message));
        var reconciling = conditions.Get(ConditionTypes.Reconciling)!;
        Assert.Equal((ConditionReasons.ProgressingWithRetry, "Building manifests for revision v1"), (reconciling.Reason, reconciling.Message));
        Assert.Null(conditions.Get(ConditionTypes.Stalled));
        Assert.Equal(-1, obj["status"]!["observedGeneration"]!.GetValue<long>()); // the CRD's default: never observed
        Assert.Equal(RequestedAt, obj["status"]!["lastHandledReconcileAt"]!.GetValue<string>());
        var only = Assert.Single(await EventsAsync());
        Assert.Equal(("Warning", "BuildFailed", "kustomize build failed: no kustomization.yaml"), (Text(only, "type"), Text(only, "reason"), Text(only, "message")));
    }

    [Fact]
    public async Task AStalledFailureRecordsTheGenerationAndIsNotRetried()
    {
        await CreateAsync();
        var steps = new ScriptedSteps(async (run, token) =>
        {
            await run.ProgressAsync("Fetching manifests", token);
            throw new ReconcileFailure(ConditionReasons.InvalidCELExpression, "Reconciliation failed terminally due to configuration error: bad", stalled: true);
        });

        Assert.Equal(ReconcileResult.Done, await RunAsync(steps));

        var obj = await GetAsync();
        var conditions = ConditionJson.Read(obj);
        Assert.Equal(["Stalled", "Ready"], conditions.Items.Select(c => c.Type));
        Assert.Equal(ConditionReasons.InvalidCELExpression, conditions.Get(ConditionTypes.Stalled)!.Reason);
        Assert.Equal(1, obj["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal("Warning", Text(Assert.Single(await EventsAsync()), "type"));
    }

    [Fact]
    public async Task AWaitIsReadyFalseWithoutAWarningAndComesBackAfterItsDelay()
    {
        await CreateAsync();
        var steps = new ScriptedSteps((_, _) => throw new ReconcileWait(ConditionReasons.DependencyNotReady, "dependency 'flux-system/infra' is not ready",
            TimeSpan.FromSeconds(30))
        { Event = "Dependencies do not meet ready condition, retrying in 30s" });

        Assert.Equal(ReconcileResult.After(TimeSpan.FromSeconds(30)), await RunAsync(steps));

        var ready = ConditionJson.Read(await GetAsync()).Get(ConditionTypes.Ready)!;
        Assert.Equal(("False", "DependencyNotReady", "dependency 'flux-system/infra' is not ready"), (ready.Status, ready.Reason, ready.Message));
        var only = Assert.Single(await EventsAsync());
        Assert.Equal(("Normal", "DependencyNotReady", "Dependencies do not meet ready condition, retrying in 30s"),
            (Text(only, "type"), Text(only, "reason"), Text(only, "message")));
    }

    [Fact]
    public async Task ASummarisingKindTakesReadyFromItsConditionsAndBacksOffOnFailure()
    {
        await CreateAsync();
        var settings = new ReconcilerSettings(KubeResource.Kustomization)
        {
            ReadySummary = ReadySummary.Source,
            FailureCondition = ConditionTypes.FetchFailed,
            BackoffOnFailure = true,
            Jitter = new IntervalJitter(0),
        };
        var stored = new ScriptedSteps((run, _) =>
        {
            run.Conditions.MarkTrue(ConditionTypes.ArtifactInStorage, ConditionReasons.Succeeded, "stored artifact for digest 'v1@sha256:aa'");
            return Task.CompletedTask;
        }, settings);
        await RunAsync(stored);
        var ready = ConditionJson.Read(await GetAsync()).Get(ConditionTypes.Ready)!;
        Assert.Equal(("True", "Succeeded", "stored artifact for digest 'v1@sha256:aa'"), (ready.Status, ready.Reason, ready.Message));

        var failing = new ScriptedSteps((_, _) => throw new ReconcileFailure(ConditionReasons.OCIArtifactPullFailed, "failed to pull artifact"), settings);
        Assert.Equal(ReconcileResult.Retry(TimeSpan.FromMinutes(2)), await RunAsync(failing));

        var conditions = ConditionJson.Read(await GetAsync());
        Assert.True(conditions.IsTrue(ConditionTypes.FetchFailed));
        Assert.True(conditions.IsTrue(ConditionTypes.ArtifactInStorage));
        ready = conditions.Get(ConditionTypes.Ready)!;
        Assert.Equal(("False", "OCIArtifactPullFailed", "failed to pull artifact"), (ready.Status, ready.Reason, ready.Message));
    }

    [Fact]
    public async Task ARunThatChangesNothingWritesNothing()
    {
        await CreateAsync();
        var steps = new ScriptedSteps((run, _) =>
        {
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, "Applied revision: v1");
            run.Status["lastAppliedRevision"] = "v1";
            return Task.CompletedTask;
        });
        await RunAsync(steps);
        var first = await GetAsync();

        await RunAsync(steps);

        Assert.Equal(first.ResourceVersion(), (await GetAsync()).ResourceVersion());
    }

    [Fact]
    public async Task ASuspendedObjectIsLeftToItselfButItsRequestIsHandled()
    {
        await CreateAsync(suspend: true);
        var steps = new ScriptedSteps((_, _) => throw new InvalidOperationException("a suspended object runs no step"));

        Assert.Equal(ReconcileResult.Done, await RunAsync(steps));

        var obj = await GetAsync();
        Assert.Equal(RequestedAt, obj["status"]!["lastHandledReconcileAt"]!.GetValue<string>());
        Assert.Null(obj["status"]!["conditions"]);
        Assert.Empty(await EventsAsync());
    }

    [Fact]
    public async Task DeletingRunsTheCleanupThenReleasesTheObject()
    {
        await CreateAsync();
        var steps = new ScriptedSteps((run, _) =>
        {
            run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.ReconciliationSucceeded, "Applied revision: v1");
            return Task.CompletedTask;
        });
        await RunAsync(steps);
        await Client.DeleteAsync(KubeResource.Kustomization, Key);
        Assert.NotNull((await GetAsync()).Metadata()!["deletionTimestamp"]);
        Assert.Equal(0, steps.Finalized);

        Assert.Equal(ReconcileResult.Done, await RunAsync(steps));

        Assert.Equal(1, steps.Finalized);
        Assert.Null(await Client.GetAsync(KubeResource.Kustomization, Key));
    }

    [Fact]
    public async Task ShutdownInTheMiddleOfAStepWritesNoVerdict()
    {
        await CreateAsync();
        var progressed = new TaskCompletionSource();
        var steps = new ScriptedSteps(async (run, token) =>
        {
            await run.ProgressAsync("Running health checks", token);
            progressed.SetResult();
            await Task.Delay(Timeout.Infinite, token);
        });
        using var stop = new CancellationTokenSource();
        var running = RunAsync(steps, stop.Token);
        await progressed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        var conditions = ConditionJson.Read(await GetAsync());
        Assert.Equal(ConditionReasons.Progressing, conditions.Get(ConditionTypes.Reconciling)!.Reason);
        Assert.Null(conditions.Get(ConditionTypes.Ready));
        Assert.Empty(await EventsAsync());
    }

    private Task<ReconcileResult> RunAsync(ScriptedSteps steps, CancellationToken cancellationToken = default) =>
        new ReconcileRunner<ReconcileRun>(Client, new EventRecorder(Client, "test-controller"), steps).ReconcileAsync(Key, cancellationToken);

    private Task CreateAsync(bool suspend = false) => Client.CreateAsync(KubeResource.Kustomization, new JsonObject
    {
        ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
        ["kind"] = "Kustomization",
        ["metadata"] = new JsonObject
        {
            ["name"] = Key.Name,
            ["namespace"] = Key.Namespace,
            ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = RequestedAt },
        },
        ["spec"] = new JsonObject
        {
            ["interval"] = "5m",
            ["retryInterval"] = "2m",
            ["prune"] = true,
            ["suspend"] = suspend,
            ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "apps" },
        },
    });

    private async Task<JsonObject> GetAsync() => (await Client.GetAsync(KubeResource.Kustomization, Key))!;

    private async Task<IReadOnlyList<JsonObject>> EventsAsync()
    {
        var (items, _) = await Client.ListAsync(KubeResource.Event, Key.Namespace);
        return [.. items.Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == Key.Name)];
    }

    private static string Text(JsonObject obj, string field) => obj[field]!.GetValue<string>();

    /// <summary>A kind whose steps are a script; its success event says "finished".</summary>
    private sealed class ScriptedSteps(Func<ReconcileRun, CancellationToken, Task> script, ReconcilerSettings? settings = null)
        : IReconcileSteps<ReconcileRun>
    {
        private int _finalized;

        public ReconcilerSettings Settings { get; } = settings ?? new ReconcilerSettings(KubeResource.Kustomization) { Jitter = new IntervalJitter(0) };

        public int Finalized => Volatile.Read(ref _finalized);

        public ReconcileRun Begin(JsonObject obj) => new(obj, TimeSpan.FromMinutes(10));

        public Task ReconcileAsync(ReconcileRun run, CancellationToken cancellationToken) => script(run, cancellationToken);

        public Task FinalizeAsync(ReconcileRun run, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _finalized);
            return Task.CompletedTask;
        }

        public RunNotice? Succeeded(ReconcileRun run) => new("finished");
    }
}
