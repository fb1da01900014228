using System.Text.Json.Nodes;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>One <c>images:</c> entry.</summary>
public sealed record ImageSpec(string Name, string NewName, string NewTag, string Digest)
{
    public static ImageSpec FromJson(JsonObject o) => new(Str(o, "name"), Str(o, "newName"), Str(o, "newTag"), Str(o, "digest"));

    private static string Str(JsonObject o, string key) => o.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };
}

/// <summary>
/// Rewrites container images whose name matches: new name, tag or digest. Besides the field specs, every
/// <c>containers</c>/<c>initContainers</c> list anywhere in a resource is visited, as kustomize does.
/// </summary>
public sealed class ImageTagTransformer(ImageSpec image, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        foreach (var r in resources.Resources)
        {
            VisitContainers(r.Object);
            foreach (var spec in fieldSpecs)
            {
                if (spec.AppliesTo(r.CurrentId))
                {
                    FieldPath.Apply(r.Object, spec.Path, false, Update);
                }
            }
        }
    }

    private void VisitContainers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    if (key is "containers" or "initContainers" && value is JsonArray list)
                    {
                        foreach (var c in list.OfType<JsonObject>())
                        {
                            if (c["image"] is JsonValue)
                            {
                                var updated = Update(c["image"]);
                                if (!ReferenceEquals(updated, c["image"]))
                                {
                                    c["image"] = updated;
                                }
                            }
                        }
                    }
                    else
                    {
                        VisitContainers(value);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    VisitContainers(item);
                }

                break;
        }
    }

    private JsonNode? Update(JsonNode? node)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var value))
        {
            return node;
        }

        var (name, tag, digest) = Split(value);
        if (name != image.Name)
        {
            return node;
        }

        var newName = image.NewName.Length > 0 ? image.NewName : name;
        string suffix;
        if (image.Digest.Length > 0)
        {
            suffix = (image.NewTag.Length > 0 ? ":" + image.NewTag : "") + "@" + image.Digest;
        }
        else if (image.NewTag.Length > 0)
        {
            suffix = ":" + image.NewTag;
        }
        else
        {
            suffix = (tag.Length > 0 ? ":" + tag : "") + (digest.Length > 0 ? "@" + digest : "");
        }

        return JsonValue.Create(newName + suffix);
    }

    /// <summary>Splits <c>registry/name:tag@digest</c> into name, tag and digest.</summary>
    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var digest = "";
        var at = image.IndexOf('@');
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            image = image[..at];
        }

        var tag = "";
        var colon = image.LastIndexOf(':');
        if (colon > image.LastIndexOf('/'))
        {
            tag = image[(colon + 1)..];
            image = image[..colon];
        }

        return (image, tag, digest);
    }
}
