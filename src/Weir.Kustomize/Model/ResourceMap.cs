using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Kustomize.Model;

/// <summary>The ordered list of resources a build accumulates; ids are unique.</summary>
public sealed class ResourceMap
{
    private readonly List<Resource> _resources = [];

    public IReadOnlyList<Resource> Resources => _resources;

    public int Count => _resources.Count;

    /// <summary>Adds a resource, refusing one whose current id is already present.</summary>
    public void Append(Resource resource)
    {
        var id = resource.CurrentId;
        var existing = _resources.FirstOrDefault(r => r.CurrentId.Matches(id));
        if (existing is not null)
        {
            throw new KustomizeException(
                $"may not add resource with an already registered id: {id} (from '{resource.Origin}', already added from '{existing.Origin}')");
        }

        _resources.Add(resource);
    }

    /// <summary>Adds many resources; ids are checked against one index built for the batch.</summary>
    public void AppendAll(IEnumerable<Resource> resources)
    {
        var index = new Dictionary<(Weir.Core.Objects.GroupVersionKind, string, string), Resource>();
        foreach (var existing in _resources)
        {
            index.TryAdd(Key(existing.CurrentId), existing);
        }

        foreach (var r in resources)
        {
            var key = Key(r.CurrentId);
            if (index.TryGetValue(key, out var existing))
            {
                throw new KustomizeException(
                    $"may not add resource with an already registered id: {r.CurrentId} (from '{r.Origin}', already added from '{existing.Origin}')");
            }

            index[key] = r;
            _resources.Add(r);
        }
    }

    private static (Weir.Core.Objects.GroupVersionKind, string, string) Key(ResId id) => (id.Gvk, id.Name, id.EffectiveNamespace);

    /// <summary>
    /// Adds generated resources, honouring their behavior: <c>create</c> appends, <c>merge</c> merges data and
    /// metadata into the existing one, <c>replace</c> replaces it.
    /// </summary>
    public void Absorb(Resource generated)
    {
        var matches = _resources.Where(r => r.AllIds.Any(i => i.Matches(generated.CurrentId)) || r.CurrentId.Matches(generated.CurrentId)).ToList();
        var behavior = generated.Behavior ?? "create";
        if (matches.Count == 0)
        {
            if (behavior is "merge" or "replace")
            {
                throw new KustomizeException($"id {generated.CurrentId} does not exist; cannot merge or replace");
            }

            Append(generated);
            return;
        }

        if (matches.Count > 1)
        {
            throw new KustomizeException($"found multiple objects {generated.CurrentId} that could accept merge of {generated.CurrentId}");
        }

        var target = matches[0];
        switch (behavior)
        {
            case "replace":
                // The data is replaced; metadata labels and annotations are merged, as kustomize does.
                target.Object.Remove("data");
                target.Object.Remove("binaryData");
                MergeGenerated(target, generated);

                // The replacement comes from the replacing generator (merge keeps the original's origin).
                target.BuildOrigin = generated.BuildOrigin;
                break;
            case "merge":
                MergeGenerated(target, generated);
                break;
            default:
                throw new KustomizeException(
                    $"may not add resource with an already registered id: {generated.CurrentId} (from '{generated.Origin}', already added from '{target.Origin}')");
        }
    }

    private static void MergeGenerated(Resource target, Resource generated)
    {
        foreach (var field in new[] { "data", "binaryData" })
        {
            if (generated.Object[field] is JsonObject add)
            {
                var into = KubeObject.EnsureObject(target.Object, field);
                foreach (var (k, v) in add)
                {
                    into[k] = v?.DeepClone();
                }
            }
        }

        foreach (var (k, v) in generated.Object.Labels())
        {
            target.Object.SetLabel(k, v);
        }

        foreach (var (k, v) in generated.Object.Annotations())
        {
            target.Object.SetAnnotation(k, v);
        }

        target.NeedsHash = target.NeedsHash && generated.NeedsHash;
        if (target.Behavior is null)
        {
            target.Behavior = "merge";
        }
    }

    public void Replace(Resource old, Resource replacement)
    {
        var index = _resources.IndexOf(old);
        _resources[index] = replacement;
    }

    public void Remove(Resource resource) => _resources.Remove(resource);

    public void Clear() => _resources.Clear();

    /// <summary>Resources whose current or any previous id matches (kustomize's GetMatchingResourcesByAnyId).</summary>
    public List<Resource> MatchingAnyId(ResId id) =>
        _resources.Where(r => r.AllIds.Any(i => i.Matches(id))).ToList();

    public List<Resource> MatchingCurrentId(ResId id) => _resources.Where(r => r.CurrentId.Matches(id)).ToList();
}
