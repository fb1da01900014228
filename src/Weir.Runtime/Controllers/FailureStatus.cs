using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// What an exception that escaped a reconcile means for the object's status: <c>Ready=False</c> with the kind's
/// failure reason and the exception's message, <c>Reconciling</c> (if set) turned to <c>ProgressingWithRetry</c>, and
/// the reconcile request marked handled, so no unexpected error leaves an object looking "in progress" forever.
/// </summary>
public sealed class FailureStatus(ResourceClient client, TimeProvider? clock = null)
{
    public async Task WriteAsync(KubeResource resource, ObjectKey key, string reason, string message, CancellationToken cancellationToken)
    {
        var obj = await client.GetAsync(resource, key, cancellationToken);
        if (obj is null || obj.Metadata()?["deletionTimestamp"] is not null)
        {
            return;
        }

        var conditions = ConditionJson.Read(obj, clock);
        OutcomeConditions.Failed(conditions, reason, message, conditionType: null, stalled: false, summary: null);

        var status = obj["status"]?.DeepClone() as JsonObject ?? [];
        status.Remove("conditions");
        if (obj.Annotation(Predicates.RequestedAtAnnotation) is { } requested)
        {
            status["lastHandledReconcileAt"] = requested;
        }

        await new StatusPatcher(client, resource, obj).PatchAsync(status, conditions, cancellationToken);
    }
}
