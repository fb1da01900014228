using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// How a reconciler writes an object's status: its status fields and conditions, and the reconcile request it
/// handled (<c>lastHandledReconcileAt</c>), as one merge patch of the status subresource.
/// </summary>
public static class StatusPatch
{
    public static async Task WriteAsync(
        ResourceClient client, KubeResource resource, JsonObject obj, JsonObject status, ConditionSet conditions, CancellationToken cancellationToken)
    {
        if (obj.Annotation(Predicates.RequestedAtAnnotation) is { } requested)
        {
            status["lastHandledReconcileAt"] = requested;
        }

        var patch = new JsonObject { ["status"] = status.DeepClone() };
        ConditionJson.Write(patch, conditions);
        await client.PatchAsync(resource, obj.Key(), patch, "merge", status: true, cancellationToken: cancellationToken);
    }
}
