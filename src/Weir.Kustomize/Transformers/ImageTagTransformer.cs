using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Transformers;

/// <summary>One <c>images:</c> entry.</summary>
public sealed record ImageSpec(string Name, string NewName, string NewTag, string Digest, string TagSuffix = "")
{
    // The kustomization is decoded with Go's encoding/json, whose field names match case-insensitively.
    public static ImageSpec FromJson(JsonObject o) =>
        new(Str(o, "name"), Str(o, "newName"), Str(o, "newTag"), Str(o, "digest"), Str(o, "tagSuffix"));

    private static string Str(JsonObject o, string key) => o.Field(key) switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => v.ToJsonString(),
        _ => "",
    };
}

/// <summary>
/// Rewrites container images whose name matches: new name, tag, digest or tag suffix. As kustomize, it runs twice:
/// first over every <c>containers</c>/<c>initContainers</c> list anywhere in a resource, then over the field specs;
/// CustomResourceDefinitions are left alone.
/// </summary>
public sealed class ImageTagTransformer(ImageSpec image, IReadOnlyList<FieldSpec> fieldSpecs) : IResourceTransformer
{
    private readonly Regex matcher = Matcher(image.Name);

    public void Transform(ResourceMap resources)
    {
        var subjects = resources.Resources.Where(r => r.Kind != "CustomResourceDefinition").ToList();
        foreach (var r in subjects)
        {
            VisitContainers(r.Object);
        }

        foreach (var r in subjects)
        {
            foreach (var spec in fieldSpecs)
            {
                if (spec.AppliesTo(r.CurrentId))
                {
                    FieldPath.Apply(r.Object, spec.Path, false, Update);
                }
            }
        }
    }

    // Children first, then the list itself, as kustomize's walk does; lists inside containers are visited too.
    private void VisitContainers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    VisitContainers(value);
                    if (key is "containers" or "initContainers" && value is JsonArray list)
                    {
                        foreach (var element in list)
                        {
                            if (element is not JsonObject c)
                            {
                                throw new KustomizeException($"wrong node kind: expected MappingNode but got {(element is JsonArray ? "SequenceNode" : "ScalarNode")}: {key}");
                            }

                            if (c.TryGetPropertyValue("image", out var current) && current is not null)
                            {
                                c["image"] = Update(current);
                            }
                        }
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
        if (node is null)
        {
            return node;
        }

        if (node is not JsonValue v)
        {
            throw new KustomizeException($"wrong node kind: expected ScalarNode but got {(node is JsonObject ? "MappingNode" : "SequenceNode")}: image");
        }

        var value = v.TryGetValue<string>(out var s) ? s : v.ToJsonString();
        if (!matcher.IsMatch(value))
        {
            return node;
        }

        var (name, tag, digest) = Split(value);
        if (image.NewName.Length > 0)
        {
            name = image.NewName;
        }

        if (image.NewTag.Length > 0 && image.Digest.Length > 0)
        {
            (tag, digest) = (image.NewTag, image.Digest);
        }
        else if (image.NewTag.Length > 0)
        {
            (tag, digest) = (image.NewTag, "");
        }
        else if (image.Digest.Length > 0)
        {
            (tag, digest) = ("", image.Digest);
        }
        else if (image.TagSuffix.Length > 0)
        {
            (tag, digest) = (tag + image.TagSuffix, "");
        }

        var updated = name + (tag.Length > 0 ? ":" + tag : "") + (digest.Length > 0 ? "@" + digest : "");
        return updated == value && s is not null ? node : JsonValue.Create(updated);
    }

    // kustomize builds this pattern from the image name without escaping it: the name is a regular expression.
    private static Regex Matcher(string name)
    {
        try
        {
            return new Regex("^" + name + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$", RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw new KustomizeException($"images: name '{name}' is not a valid pattern: {e.Message}");
        }
    }

    /// <summary>
    /// Splits <c>[host[:port]/]name[:tag][@digest]</c> as kustomize does: the first '@' or ':' after the first '/'
    /// ends the name.
    /// </summary>
    public static (string Name, string Tag, string Digest) Split(string image)
    {
        var slash = image.IndexOf('/');
        var offset = slash > 0 ? slash : 0;
        var search = image[offset..];
        var at = search.IndexOf('@');
        var colon = search.IndexOf(':');
        if (colon < 0 && at < 0)
        {
            return (image, "", "");
        }

        if (at >= 0 && (at < colon || colon < 0))
        {
            return (image[..(at + offset)], "", image[(at + offset + 1)..]);
        }

        if (at >= 0)
        {
            return (image[..(colon + offset)], image[(colon + offset + 1)..(at + offset)], image[(at + offset + 1)..]);
        }

        return (image[..(colon + offset)], image[(colon + offset + 1)..], "");
    }
}
