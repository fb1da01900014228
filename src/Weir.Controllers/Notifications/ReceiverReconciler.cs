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
public sealed class ReceiverReconciler(ResourceClient client, EventRecorder events, JsonLog? log = null, TimeProvider? clock = null) : IReconciler
{
    public const string ControllerName = "notification-controller";
    public const string WebhookPrefix = "/hook/";
    public const string TokenNotFound = "TokenNotFound";

    private readonly JsonLog _log = log ?? JsonLog.Discard;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Kind => Receiver.KindName;

    public string FailureReason => ConditionReasons.Failed;

    /// <summary>The path a Receiver with this token, name and namespace is reachable at.</summary>
    public static string WebhookPath(string token, string name, string ns) =>
        WebhookPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token + name + ns)));

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var obj = await client.GetAsync(KubeResource.Receiver, key, cancellationToken);
        if (obj is null)
        {
            return ReconcileResult.Done;
        }

        var spec = ApiObjects.Read<Receiver>(obj).Spec ?? new ReceiverSpec();
        if (spec.Suspend == true)
        {
            _log.Info("Reconciliation is suspended for this object", Kind, key);
            return ReconcileResult.Done;
        }

        var interval = FluxDuration.TryParse(spec.Interval, out var parsed) ? parsed : TimeSpan.FromMinutes(10);
        var status = obj["status"] as JsonObject ?? [];
        var conditions = ConditionJson.Read(obj, _clock);
        conditions.MarkReconciling(ConditionReasons.Progressing, "Reconciliation in progress");
        try
        {
            var token = await TokenAsync(key, spec, cancellationToken);
            var path = WebhookPath(token, key.Name, key.Namespace);
            var message = $"Receiver initialized for path: {path}";
            conditions.MarkTrue(ConditionTypes.Ready, ConditionReasons.Succeeded, message);
            conditions.Remove(ConditionTypes.Reconciling);
            if (status["webhookPath"]?.GetValue<string>() != path)
            {
                _log.Info(message, Kind, key);
            }

            status["webhookPath"] = path;
            status["observedGeneration"] = obj.Generation();
            await WriteStatusAsync(obj, status, conditions, cancellationToken);
            var done = $"Reconciliation finished, next run in {FluxDuration.Format(interval)}";
            _log.Info(done, Kind, key);
            await events.RecordAsync(obj, EventRecorder.Normal, ConditionReasons.Succeeded, done, cancellationToken: cancellationToken);
            return ReconcileResult.After(interval);
        }
        catch (ReconcileFailure failure)
        {
            conditions.MarkFalse(ConditionTypes.Ready, failure.Reason, failure.Message);
            conditions.MarkReconciling(ConditionReasons.ProgressingWithRetry, "Reconciliation in progress");
            status["webhookPath"] = null;
            await WriteStatusAsync(obj, status, conditions, cancellationToken);
            _log.Error("Reconciler error", failure, Kind, key);
            await events.RecordAsync(obj, EventRecorder.Warning, ConditionReasons.Failed, failure.Message, cancellationToken: cancellationToken);
            return ReconcileResult.Retry(interval);
        }
    }

    /// <summary>The webhook token, never logged: only the path derived from it is published.</summary>
    private async Task<string> TokenAsync(ObjectKey key, ReceiverSpec spec, CancellationToken cancellationToken)
    {
        if (spec.SecretRef?.Name is not { } name)
        {
            return "";
        }

        var secretKey = new ObjectKey(key.Namespace, name);
        var secret = await client.GetAsync(KubeResource.Secret, secretKey, cancellationToken)
            ?? throw new ReconcileFailure(TokenNotFound,
                $"unable to read token from secret '{secretKey}' error: secrets \"{name}\" not found");
        if (secret["data"]?["token"]?.GetValue<string>() is not { } encoded)
        {
            throw new ReconcileFailure(TokenNotFound, $"invalid '{secretKey}' secret data: required fields 'token'");
        }

        return Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
    }

    private Task WriteStatusAsync(JsonObject obj, JsonObject status, ConditionSet conditions, CancellationToken cancellationToken) =>
        StatusPatch.WriteAsync(client, KubeResource.Receiver, obj, status, conditions, cancellationToken);
}
