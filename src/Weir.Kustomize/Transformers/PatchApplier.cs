using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.OpenApi;
using Weir.Core.Patching;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>Applies one strategic merge or JSON 6902 patch to one resource; shared by the patch transformers.</summary>
internal static class PatchApplier
{
    /// <summary>Applies a strategic merge patch; removes the resource when the patch says <c>$patch: delete</c>.</summary>
    public static void Strategic(ResourceMap map, Resource target, JsonObject patch, string source, KubernetesOpenApi? schema = null)
    {
        var patchCopy = (JsonObject)patch.DeepClone();
        var gvk = target.Object.Gvk();
        JsonObject? result;
        try
        {
            result = StrategicMergePatch.Apply(target.Object, patchCopy, gvk, schema);
        }
        catch (Exception e) when (e is StrategicMergePatchException or InvalidOperationException)
        {
            throw new KustomizeException($"applying patch from {source} to {target.CurrentId}: {e.Message}", e);
        }

        if (result is null)
        {
            map.Remove(target);
            return;
        }

        target.Object = result;
    }

    /// <summary>Applies a JSON 6902 operation list.</summary>
    public static void Json6902(Resource target, JsonArray operations, string source)
    {
        try
        {
            var result = JsonPatch.Apply(target.Object, operations);
            target.Object = result as JsonObject ?? throw new KustomizeException($"JSON patch from {source} did not leave an object");
        }
        catch (JsonPatchException e)
        {
            throw new KustomizeException($"unable to apply JSON patch from {source} to {target.CurrentId}: {e.Message}", e);
        }
    }
}
