using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Controllers;

/// <summary>
/// An exception no reconcile step expected ends where every reconcile ends, in the controller loop: the object
/// becomes <c>Ready=False</c> with the exception's message and the kind's failure reason (never a wedged
/// <c>Unknown</c>), and the error is logged once per attempt with its stack.
/// </summary>
public sealed class UnexpectedErrorTests : IAsyncLifetime
{
    private const string RequestedAt = "2026-12-01T10:00:00Z";
    private readonly EmbeddedCluster _cluster = new();

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    /// <summary>Marks the object in progress, as reconcilers do first, then fails as no step expects.</summary>
    private sealed class ThrowingReconciler(ResourceClient client, KubeResource resource, string? failureReason = null) : IReconciler
    {
        private int _thrown;

        public string Kind => resource.Kind;

        public string FailureReason => failureReason ?? ConditionReasons.ReconciliationFailed;

        public int Thrown => Volatile.Read(ref _thrown);

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
        {
            var conditions = new ConditionSet();
            conditions.MarkUnknown(ConditionTypes.Ready, ConditionReasons.Progressing, "Reconciliation in progress");
            conditions.MarkReconciling(ConditionReasons.Progressing, "Building manifests for revision v1");
            var patch = new JsonObject();
            ConditionJson.Write(patch, conditions);
            await client.PatchAsync(resource, key, patch, "merge", status: true, cancellationToken: cancellationToken);
            Interlocked.Increment(ref _thrown);
            throw new InvalidOperationException("Operation is not valid due to the current state of the object.");
        }
    }

    [Fact]
    public async Task AnUnexpectedExceptionEndsReadyFalseWithItsMessageAndIsLoggedWithItsStack()
    {
        var client = _cluster.Client;
        var log = new StringWriter();
        var jsonLog = new JsonLog(TextWriter.Synchronized(log));
        var manager = new ControllerManager(client, new ControllerMetrics(),
            onError: (controller, key, error) => jsonLog.Unexpected("Reconciler error", error, controller, key));
        var kustomizations = new ThrowingReconciler(client, KubeResource.Kustomization);
        var sources = new ThrowingReconciler(client, KubeResource.OCIRepository, ConditionReasons.Failed);
        manager.Add(new ControllerRegistration(KubeResource.Kustomization, kustomizations, 1));
        manager.Add(new ControllerRegistration(KubeResource.OCIRepository, sources, 1));
        using var stop = new CancellationTokenSource();
        var running = manager.RunAsync(stop.Token);

        await client.CreateAsync(KubeResource.Kustomization, Object("kustomize.toolkit.fluxcd.io/v1", "Kustomization",
            new JsonObject { ["interval"] = "1h", ["prune"] = true, ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "apps" } }));
        await client.CreateAsync(KubeResource.OCIRepository, Object("source.toolkit.fluxcd.io/v1", "OCIRepository",
            new JsonObject { ["interval"] = "1h", ["url"] = "oci://registry.example/apps" }));

        var kustomization = await WaitForReadyFalseAsync(KubeResource.Kustomization);
        var source = await WaitForReadyFalseAsync(KubeResource.OCIRepository);
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        foreach (var (obj, reason) in new[] { (kustomization, "ReconciliationFailed"), (source, "Failed") })
        {
            var conditions = ConditionJson.Read(obj);
            var ready = conditions.Get(ConditionTypes.Ready)!;
            Assert.Equal(reason, ready.Reason);
            Assert.Equal("Operation is not valid due to the current state of the object.", ready.Message);
            Assert.Equal(ConditionReasons.ProgressingWithRetry, conditions.Get(ConditionTypes.Reconciling)!.Reason);
            Assert.Equal("Building manifests for revision v1", conditions.Get(ConditionTypes.Reconciling)!.Message);
            Assert.Equal(RequestedAt, obj["status"]!["lastHandledReconcileAt"]!.GetValue<string>());
        }

        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(kustomizations.Thrown + sources.Thrown, lines.Count);
        Assert.All(lines, line =>
        {
            Assert.Equal("Reconciler error", line["msg"]!.GetValue<string>());
            Assert.Equal("Operation is not valid due to the current state of the object.", line["error"]!.GetValue<string>());
            Assert.Contains($"at {typeof(ThrowingReconciler).FullName!.Replace('+', '.')}.ReconcileAsync", line["stacktrace"]!.GetValue<string>());
        });
    }

    private async Task<JsonObject> WaitForReadyFalseAsync(KubeResource resource)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonObject? obj = null;
        while (DateTime.UtcNow < deadline)
        {
            obj = await _cluster.Client.GetAsync(resource, new ObjectKey("flux-system", "apps"));
            if (obj is not null && ConditionJson.Read(obj).IsFalse(ConditionTypes.Ready))
            {
                return obj;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{resource.Kind} never became Ready=False: {obj?["status"]?.ToJsonString()}");
    }

    private static JsonObject Object(string apiVersion, string kind, JsonObject spec) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject
        {
            ["name"] = "apps",
            ["namespace"] = "flux-system",
            ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = RequestedAt },
        },
        ["spec"] = spec,
    };
}
