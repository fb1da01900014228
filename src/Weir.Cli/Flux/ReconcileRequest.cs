using System.Globalization;
using System.Text.Json.Nodes;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// flux's reconcile protocol: refuse a suspended object, annotate <c>reconcile.fluxcd.io/requestedAt</c>, wait
/// until <c>status.lastHandledReconcileAt</c> changes and kstatus is Current, then require Ready=True.
/// </summary>
public sealed class ReconcileRequest(ResourceClient client, CliLog log, TimeSpan timeout)
{
    public const string RequestedAtAnnotation = "reconcile.fluxcd.io/requestedAt";

    /// <summary>HelmRelease: a one-off install or upgrade; honoured only when equal to requestedAt.</summary>
    public const string ForceAtAnnotation = "reconcile.fluxcd.io/forceAt";

    /// <summary>HelmRelease: reset the failure counters; honoured only when equal to requestedAt.</summary>
    public const string ResetAtAnnotation = "reconcile.fluxcd.io/resetAt";

    /// <summary>How often the object is re-read while waiting (flux: 2s); <c>WEIR_POLL_INTERVAL</c> overrides it.</summary>
    public static TimeSpan PollInterval { get; } =
        Environment.GetEnvironmentVariable("WEIR_POLL_INTERVAL") is { Length: > 0 } text && Weir.Core.Time.FluxDuration.TryParse(text, out var poll)
            ? poll
            : TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reconciles one object, printing flux's lines; throws <see cref="CliException"/> when it fails.
    /// <paramref name="alsoAnnotate"/> are set to the same token as requestedAt (forceAt, resetAt).
    /// </summary>
    public async Task<JsonObject> RunAsync(FluxKind kind, ObjectKey key, CancellationToken cancellationToken, IReadOnlyList<string>? alsoAnnotate = null)
    {
        var obj = await new FluxQuery(client).GetAsync(kind, key, cancellationToken);
        if (obj["spec"]?["suspend"] is JsonValue s && s.TryGetValue<bool>(out var suspended) && suspended)
        {
            throw new CliException("resource is suspended");
        }

        // An OCI HelmRepository is static: nothing reconciles it, so there is nothing to wait for.
        if (kind.Kind == Weir.Core.Api.Source.HelmRepository.KindName && FluxKind.Str(obj["spec"]?["type"]) == "oci")
        {
            throw new CliException("reconciliation not supported by the object");
        }

        log.Action($"annotating {kind.Kind} {key.Name} in {key.Namespace} namespace");
        var before = LastHandled(obj);
        await AnnotateAsync(client, kind, key, cancellationToken, alsoAnnotate);
        log.Success($"{kind.Kind} annotated");
        log.Waiting($"waiting for {kind.Kind} reconciliation");
        obj = await WaitAsync(kind, key, o => Handled(o, before), cancellationToken);
        var ready = FluxStatus.FindCondition(obj, "Ready") ?? throw new CliException("status can't be determined");
        if (FluxKind.Str(ready["status"]) != "True")
        {
            throw new CliException($"{kind.Kind} reconciliation failed: '{FluxKind.Str(ready["message"])}'");
        }

        log.Success(kind.SuccessMessage(obj));
        return obj;
    }

    /// <summary><c>--with-source</c>: reconciles the object's source first, then the object.</summary>
    public async Task<JsonObject> RunWithSourceAsync(FluxKind kind, ObjectKey key, CancellationToken cancellationToken, IReadOnlyList<string>? alsoAnnotate = null)
    {
        var obj = await new FluxQuery(client).GetAsync(kind, key, cancellationToken);
        var source = SourceReference.Of(obj) ?? throw new CliException($"cannot reconcile source of kind {FluxKind.Str(obj["spec"]?["sourceRef"]?["kind"])}");
        await RunAsync(source.Kind, source.Key, cancellationToken);
        return await RunAsync(kind, key, cancellationToken, alsoAnnotate);
    }

    /// <summary>Sets the request annotation (and <paramref name="alsoAnnotate"/>) to now (RFC3339Nano), as <c>flux reconcile</c> does.</summary>
    public static async Task AnnotateAsync(ResourceClient client, FluxKind kind, ObjectKey key, CancellationToken cancellationToken, IReadOnlyList<string>? alsoAnnotate = null)
    {
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
        var annotations = new JsonObject { [RequestedAtAnnotation] = now };
        foreach (var name in alsoAnnotate ?? [])
        {
            annotations[name] = now;
        }

        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        await client.PatchAsync(kind.Resource, key, patch, "merge", fieldManager: "flux-client-side-apply", cancellationToken: cancellationToken);
    }

    /// <summary>Re-reads the object every <see cref="PollInterval"/> until <paramref name="done"/> says so or the timeout passes.</summary>
    public async Task<JsonObject> WaitAsync(FluxKind kind, ObjectKey key, Func<JsonObject, bool> done, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var obj = await new FluxQuery(client).GetAsync(kind, key, cancellationToken);
            if (done(obj))
            {
                return obj;
            }

            if (DateTimeOffset.UtcNow + PollInterval > deadline)
            {
                var status = FluxStatus.From(kind, obj);
                throw new CliException($"timeout waiting for {kind.Kind} reconciliation after {Weir.Core.Time.FluxDuration.Format(timeout)}: Ready={status.Ready}: {status.Message}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private static string LastHandled(JsonObject obj) => FluxKind.Str(obj["status"]?["lastHandledReconcileAt"]);

    private static bool Handled(JsonObject obj, string before)
    {
        if (LastHandled(obj) == before)
        {
            return false;
        }

        var (status, message) = KStatus.Compute(obj);
        return status switch
        {
            KStatusKind.Current => true,
            KStatusKind.InProgress => false,
            _ => throw new CliException(message),
        };
    }
}
