using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Notification;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Notifications;

/// <summary>
/// Gives a Receiver its webhook path as notification-controller does: <c>/hook/</c> and the hex SHA-256 of the
/// token (the <c>token</c> key of <c>spec.secretRef</c>, empty for generic-oidc) followed by name and namespace,
/// with Ready=True <c>Receiver initialized for path: …</c>; a missing Secret or key is Ready=False TokenNotFound.
/// Serving the webhook itself is not part of this reconciler.
/// </summary>
public sealed class ReceiverReconciler : IReconciler, IReconcileSteps<ReconcileRun>
{
    public const string ControllerName = "notification-controller";
    public const string WebhookPrefix = "/hook/";
    public const string TokenNotFound = "TokenNotFound";

    private readonly ResourceClient _client;
    private readonly TimeProvider _clock;
    private readonly ReconcileRunner<ReconcileRun> _runner;

    public ReceiverReconciler(ResourceClient client, EventRecorder events, JsonLog? log = null, TimeProvider? clock = null)
    {
        _client = client;
        _clock = clock ?? TimeProvider.System;
        Settings = new ReconcilerSettings(KubeResource.Receiver) { BackoffOnFailure = true, Log = log ?? JsonLog.Discard };
        _runner = new ReconcileRunner<ReconcileRun>(client, events, this);
    }

    public string Kind => Receiver.KindName;

    public string FailureReason => ConditionReasons.Failed;

    public ReconcilerSettings Settings { get; }

    /// <summary>The path a Receiver with this token, name and namespace is reachable at.</summary>
    public static string WebhookPath(string token, string name, string ns) =>
        WebhookPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token + name + ns)));

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken) => _runner.ReconcileAsync(key, cancellationToken);

    public ReconcileRun Begin(JsonObject obj) => new(obj, TimeSpan.FromMinutes(10), _clock);

    public async Task ReconcileAsync(ReconcileRun run, CancellationToken cancellationToken)
    {
        // A Receiver whose token cannot be read has no path until it can.
        run.Status.Remove("webhookPath");
        var spec = ApiObjects.Read<Receiver>(run.Object).Spec ?? new ReceiverSpec();
        var token = await TokenAsync(run.Key, spec, cancellationToken);
        var path = WebhookPath(token, run.Key.Name, run.Key.Namespace);
        run.Status["webhookPath"] = path;
        run.Conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.Succeeded, $"Receiver initialized for path: {path}");
    }

    public Task FinalizeAsync(ReconcileRun run, CancellationToken cancellationToken) => Task.CompletedTask;

    public RunNotice? Succeeded(ReconcileRun run) =>
        new($"Reconciliation finished, next run in {FluxDuration.Format(run.Interval)}", ConditionReasons.Succeeded);

    /// <summary>The webhook token, never logged: only the path derived from it is published.</summary>
    private async Task<string> TokenAsync(ObjectKey key, ReceiverSpec spec, CancellationToken cancellationToken)
    {
        if (spec.SecretRef?.Name is not { } name)
        {
            return "";
        }

        var secretKey = new ObjectKey(key.Namespace, name);
        var secret = await _client.GetAsync(KubeResource.Secret, secretKey, cancellationToken)
            ?? throw new ReconcileFailure(TokenNotFound,
                $"unable to read token from secret '{secretKey}' error: secrets \"{name}\" not found");
        if (secret["data"]?["token"]?.GetValue<string>() is not { } encoded)
        {
            throw new ReconcileFailure(TokenNotFound, $"invalid '{secretKey}' secret data: required fields 'token'");
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }
}
