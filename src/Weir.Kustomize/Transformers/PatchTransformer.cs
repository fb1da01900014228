using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Model;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// A <c>patches:</c> entry: a strategic merge patch or a JSON 6902 patch (told apart by content), applied to
/// the resources a target selects, or for a strategic merge patch without target, to the resource it names.
/// </summary>
public sealed class PatchTransformer(string patchText, Selector? target, string source, bool allowNameChange = false, bool allowKindChange = false)
    : IResourceTransformer
{
    /// <summary>The schema strategic merges use: a kustomization's <c>openapi.path</c>, else Kubernetes v1.21.2.</summary>
    public Weir.Core.OpenApi.KubernetesOpenApi? Schema { get; init; }

    public void Transform(ResourceMap resources)
    {
        var docs = YamlText.ParseAll(patchText, source);
        if (docs.Count == 0 || docs.All(d => d is JsonObject { Count: 0 }))
        {
            throw new KustomizeException($"{source}: patch appears to be empty");
        }

        if (docs.Count == 1 && docs[0] is JsonArray)
        {
            if (target is null)
            {
                throw new KustomizeException($"{source}: must specify a target for JSON patch {patchText.Trim()}");
            }

            // kustomize decodes JSON 6902 operations with sigs.k8s.io/yaml, not kyaml.
            var ops = (JsonArray)YamlText.ParseAllSigsYaml(patchText, source)[0];

            foreach (var r in target.Select(resources))
            {
                var name = r.Name;
                var kind = r.Kind;
                PatchApplier.Json6902(r, (JsonArray)ops.DeepClone(), source);
                TrackRename(r, name, kind);
            }

            return;
        }

        if (target is not null && docs.Count > 1)
        {
            throw new KustomizeException($"{source}: multiple strategic merge patches in one patches entry may not set a target");
        }

        foreach (var doc in docs)
        {
            if (doc is not JsonObject patch)
            {
                throw new KustomizeException($"{source}: patch is neither a map nor a JSON 6902 operation list");
            }

            if (target is null)
            {
                var id = new ResId(patch.Gvk(), patch.Name(), patch.Namespace());
                var matches = resources.MatchingAnyId(id);
                if (matches.Count == 0)
                {
                    matches = resources.Resources.Where(r => r.AllIds.Any(i => i.Gvk.Kind == id.Gvk.Kind && i.Name == id.Name && i.IsNsEquals(id)
                        && (id.Gvk.Group == i.Gvk.Group))).ToList();
                }

                if (matches.Count != 1)
                {
                    throw new KustomizeException(
                        $"{source}: no resource matches strategic merge patch \"{id}\"" + (matches.Count > 1 ? " (multiple matches)" : ""));
                }

                var aligned = (JsonObject)patch.DeepClone();
                aligned.EnsureMetadata()["name"] = matches[0].Name;
                if (matches[0].Object.Namespace().Length > 0)
                {
                    aligned.EnsureMetadata()["namespace"] = matches[0].Object.Namespace();
                }

                Apply(resources, matches[0], aligned);
                continue;
            }

            foreach (var r in target.Select(resources))
            {
                var copy = (JsonObject)patch.DeepClone();
                var meta = copy.EnsureMetadata();
                if (!allowNameChange || copy.Name().Length == 0)
                {
                    meta["name"] = r.Name;
                }

                if (r.Object.Namespace().Length > 0)
                {
                    meta["namespace"] = r.Object.Namespace();
                }
                else
                {
                    meta.Remove("namespace");
                }

                if (!allowKindChange || copy.Kind().Length == 0)
                {
                    copy["kind"] = r.Kind;
                    copy["apiVersion"] = r.Object.ApiVersion();
                }

                Apply(resources, r, copy);
            }
        }
    }

    private void Apply(ResourceMap resources, Resource r, JsonObject patch)
    {
        var name = r.Name;
        var kind = r.Kind;
        PatchApplier.Strategic(resources, r, patch, source, Schema);
        TrackRename(r, name, kind);
    }

    private static void TrackRename(Resource r, string oldName, string oldKind)
    {
        if (r.Name != oldName || r.Kind != oldKind)
        {
            var current = r.CurrentId;
            r.PreviousIds.Add(new ResId(current.Gvk with { Kind = oldKind }, oldName, current.EffectiveNamespace));
        }
    }
}
