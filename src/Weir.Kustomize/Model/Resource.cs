using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Kustomize.Model;

/// <summary>
/// One object in a build, with what kustomize tracks beside it: where it came from, the ids it had before
/// renames, the prefixes and suffixes applied, and generator flags.
/// </summary>
public sealed class Resource(JsonObject obj, string origin)
{
    public JsonObject Object { get; set; } = obj;

    /// <summary>The file (relative to the build root) or generator that produced this resource.</summary>
    public string Origin { get; set; } = origin;

    /// <summary>Ids the resource had before each rename, oldest first (empty when never renamed).</summary>
    public List<ResId> PreviousIds { get; } = [];

    public List<string> NamePrefixes { get; } = [];

    public List<string> NameSuffixes { get; } = [];

    /// <summary>Generated ConfigMaps/Secrets get a content hash suffix at the end of the build.</summary>
    public bool NeedsHash { get; set; }

    /// <summary>The generator behavior (create, merge, replace) for generated resources, else null.</summary>
    public string? Behavior { get; set; }

    /// <summary>Where the resource came from (file, or generator), for buildMetadata.</summary>
    public BuildOrigin? BuildOrigin { get; set; }

    /// <summary>The transformers that ran over the resource, for buildMetadata.</summary>
    public List<BuildOrigin> Transformations { get; } = [];

    /// <summary>Ids of resources whose fields refer to this one (recorded by name references).</summary>
    public List<ResId> ReferencedBy { get; } = [];

    public ResId CurrentId => new(Object.Gvk(), Object.Name(), Object.Namespace());

    public ResId OriginalId => PreviousIds.Count > 0 ? PreviousIds[0] : CurrentId;

    /// <summary>The current id and every previous one.</summary>
    public IEnumerable<ResId> AllIds => PreviousIds.Append(CurrentId);

    public string Name => Object.Name();

    public string Kind => Object.Kind();

    /// <summary>Records the current id as a previous one, before a transformer changes name, namespace or kind.</summary>
    public void StorePreviousId()
    {
        var id = CurrentId;
        PreviousIds.Add(id with { Namespace = id.EffectiveNamespace });
    }

    public Resource DeepCopy()
    {
        var copy = new Resource((JsonObject)Object.DeepClone(), Origin)
        {
            NeedsHash = NeedsHash,
            Behavior = Behavior,
            BuildOrigin = BuildOrigin,
        };
        copy.PreviousIds.AddRange(PreviousIds);
        copy.NamePrefixes.AddRange(NamePrefixes);
        copy.NameSuffixes.AddRange(NameSuffixes);
        copy.Transformations.AddRange(Transformations);
        return copy;
    }

    public override string ToString() => CurrentId.ToString();
}
