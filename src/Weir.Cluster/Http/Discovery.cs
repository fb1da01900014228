using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Http;

/// <summary>Legacy (APIVersions, APIGroupList, APIResourceList) and aggregated (apidiscovery.k8s.io) discovery documents.</summary>
internal sealed class Discovery(ResourceCatalog catalog)
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubVerbs = ["get", "patch", "update"];

    public static JsonObject ApiVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public JsonObject GroupList()
    {
        var groups = new JsonArray();
        foreach (var (group, versions) in catalog.Groups().Where(g => g.Group != ""))
        {
            groups.Add(Group(group, versions));
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    public JsonObject? GroupDocument(string group)
    {
        var entry = catalog.Groups().FirstOrDefault(g => g.Group == group);
        if (entry.Versions is null)
        {
            return null;
        }
        var doc = Group(group, entry.Versions);
        doc["kind"] = "APIGroup";
        doc["apiVersion"] = "v1";
        return doc;
    }

    private static JsonObject Group(string group, List<string> versions)
    {
        var list = new JsonArray();
        foreach (var v in versions)
        {
            list.Add(new JsonObject { ["groupVersion"] = $"{group}/{v}", ["version"] = v });
        }
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = list,
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{versions[0]}", ["version"] = versions[0] },
        };
    }

    public JsonObject? ResourceList(string group, string version)
    {
        var types = catalog.All.Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
        {
            return null;
        }
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(Verbs),
            };
            if (t.ShortNames.Count > 0)
            {
                r["shortNames"] = Strings(t.ShortNames);
            }
            if (t.Categories.Count > 0)
            {
                r["categories"] = Strings(t.Categories);
            }
            resources.Add(r);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/status", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = Strings(SubVerbs) });
            }
            if (t.HasScale)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/scale", ["singularName"] = "", ["namespaced"] = t.Namespaced, ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale", ["verbs"] = Strings(SubVerbs) });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group == "" ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>apidiscovery.k8s.io APIGroupDiscoveryList for the core group (<paramref name="core"/>) or the named groups.</summary>
    public JsonObject Aggregated(bool core, string version)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in catalog.Groups().Where(g => (g.Group == "") == core))
        {
            var vlist = new JsonArray();
            foreach (var v in versions)
            {
                var resources = new JsonArray();
                foreach (var t in catalog.All.Where(t => t.Group == group && t.Version == v))
                {
                    resources.Add(AggregatedResource(t));
                }
                vlist.Add(new JsonObject { ["version"] = v, ["resources"] = resources, ["freshness"] = "Current" });
            }
            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null }, ["versions"] = vlist });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = $"apidiscovery.k8s.io/{version}",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ResourceType t)
    {
        var kind = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
        var r = new JsonObject
        {
            ["resource"] = t.Plural,
            ["responseKind"] = kind,
            ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = t.Singular,
            ["verbs"] = Strings(Verbs),
        };
        if (t.ShortNames.Count > 0)
        {
            r["shortNames"] = Strings(t.ShortNames);
        }
        if (t.Categories.Count > 0)
        {
            r["categories"] = Strings(t.Categories);
        }
        var subs = new JsonArray();
        if (t.HasStatus)
        {
            subs.Add(new JsonObject { ["subresource"] = "status", ["responseKind"] = kind.DeepClone(), ["verbs"] = Strings(SubVerbs) });
        }
        if (t.HasScale)
        {
            subs.Add(new JsonObject { ["subresource"] = "scale", ["responseKind"] = new JsonObject { ["group"] = "autoscaling", ["version"] = "v1", ["kind"] = "Scale" }, ["verbs"] = Strings(SubVerbs) });
        }
        if (subs.Count > 0)
        {
            r["subresources"] = subs;
        }
        return r;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);
}
