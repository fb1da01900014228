using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Patching;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// Writes a reconcile's working status to the status subresource as a merge patch of what changed since the last
/// write (removed fields become null), and skips the call when nothing changed. An object that is gone while being
/// deleted is not an error: its finalizer was released and the status has no reader left.
/// </summary>
public sealed class StatusPatcher(ResourceClient client, KubeResource resource, JsonObject obj)
{
    private JsonObject _written = obj["status"]?.DeepClone() as JsonObject ?? [];

    public async Task PatchAsync(JsonObject status, ConditionSet conditions, CancellationToken cancellationToken)
    {
        var desired = (JsonObject)status.DeepClone();
        if (conditions.Items.Count > 0 || _written.ContainsKey("conditions"))
        {
            desired["conditions"] = ConditionJson.ToJson(conditions);
        }

        var changes = JsonMergePatch.Create(_written, desired);
        if (changes.Count == 0)
        {
            return;
        }

        try
        {
            await client.PatchAsync(resource, obj.Key(), new JsonObject { ["status"] = changes }, "merge", status: true,
                cancellationToken: cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound && obj.Metadata()?["deletionTimestamp"] is not null)
        {
            return;
        }

        _written = desired;
    }
}
