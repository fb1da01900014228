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
                // kustomize keeps the id before every JSON patch, renaming or not: name references may follow it.
                r.StorePreviousId();
                PatchApplier.Json6902(r, (JsonArray)ops.DeepClone(), source);
            }

            return;
        }

        if (docs.FirstOrDefault(d => d is not JsonObject) is not null)
        {
            throw new KustomizeException($"{source}: patch is neither a map nor a JSON 6902 operation list");
        }

        var patches = YamlText.ExpandLists(docs.Cast<JsonObject>(), source);
        if (target is not null && patches.Count > 1)
        {
            throw new KustomizeException($"{source}: Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field");
        }

        foreach (var patch in patches)
        {
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

                Apply(resources, matches[0], (JsonObject)patch.DeepClone());
                continue;
            }

            foreach (var r in target.Select(resources))
            {
                // As kustomize: the patch takes the target's apiVersion and keeps its own kind.
                var copy = (JsonObject)patch.DeepClone();
                copy["apiVersion"] = r.Object.ApiVersion();
                Apply(resources, r, copy);
            }
        }
    }

    // As kustomize's Resource.ApplySmPatch: the merge may change name and kind only where the options allow it
    // (then the id before is kept as a previous id); the namespace always stays.
    private void Apply(ResourceMap resources, Resource r, JsonObject patch)
    {
        var (name, ns, kind) = (r.Name, r.Object.Namespace(), r.Kind);
        if (allowNameChange || allowKindChange)
        {
            r.StorePreviousId();
        }

        PatchApplier.Strategic(resources, r, patch, source, Schema);
        if (!resources.Resources.Contains(r))
        {
            return;
        }

        if (!allowKindChange)
        {
            r.Object["kind"] = kind;
        }

        if (!allowNameChange)
        {
            r.Object.EnsureMetadata()["name"] = name;
        }

        if (ns.Length > 0)
        {
            r.Object.EnsureMetadata()["namespace"] = ns;
        }
        else if (r.Object["metadata"] is JsonObject meta)
        {
            meta.Remove("namespace");
        }
    }
}
