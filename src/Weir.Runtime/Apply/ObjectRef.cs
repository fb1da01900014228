using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Apply;

/// <summary>
/// An object's identity as Flux's inventories and change sets name it: namespace, name, group, kind, plus the
/// version it was applied with. <see cref="Id"/> is the inventory id <c>ns_name_group_kind</c> (core group empty);
/// <see cref="Subject"/> is how messages print it: <c>Kind/ns/name</c>, or <c>Kind/name</c> when cluster-scoped.
/// </summary>
public readonly record struct ObjectRef(string Namespace, string Name, string Group, string Kind, string Version = "")
{
    public string Id => $"{Namespace}_{Name}_{Group}_{Kind}";

    public string Subject => Namespace.Length == 0 ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    public GroupVersionKind Gvk => new(Group, Version, Kind);

    /// <summary>Identity without the version, for set operations (an object moved to a new version is the same object).</summary>
    public ObjectRef WithoutVersion => this with { Version = "" };

    public static ObjectRef Of(JsonObject obj)
    {
        var gvk = obj.Gvk();
        return new ObjectRef(obj.Namespace(), obj.Name(), gvk.Group, gvk.Kind, gvk.Version);
    }

    /// <summary>Parses an inventory entry; the name may itself hold underscores, the other parts cannot.</summary>
    public static ObjectRef FromInventory(string id, string version)
    {
        var first = id.IndexOf('_');
        var last = id.LastIndexOf('_');
        var beforeLast = last > 0 ? id.LastIndexOf('_', last - 1) : -1;
        if (first < 0 || beforeLast <= first)
        {
            throw new FormatException($"invalid inventory id '{id}'");
        }

        return new ObjectRef(id[..first], id[(first + 1)..beforeLast], id[(beforeLast + 1)..last], id[(last + 1)..], version);
    }

    public override string ToString() => Subject;
}
