using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Rendering;
using Weir.Runtime.Kube;
using Weir.Templates;
using Weir.Templates.Values;

namespace Weir.Helm.Actions;

/// <summary>What a chart sees of a live cluster: <c>.Capabilities</c> from discovery, and <c>lookup</c>.</summary>
internal static class ClusterCapabilities
{
    /// <summary>The server's version (<c>/version</c>) and its group/versions (<c>/api</c>, <c>/apis</c>) added to Helm's built-in ones.</summary>
    public static async Task<Capabilities> ReadAsync(ResourceClient client, CancellationToken cancellationToken)
    {
        var version = (await client.GetPathAsync("/version", cancellationToken))?["gitVersion"]?.GetValue<string>();
        var capabilities = version is null ? Capabilities.Default : Capabilities.Default with { KubeVersion = KubeVersion.Parse(version) };
        var groups = await client.GetPathAsync("/apis", cancellationToken);
        var discovered = (groups?["groups"] as JsonArray ?? [])
            .SelectMany(g => g?["versions"] as JsonArray ?? [])
            .Select(v => v?["groupVersion"]?.GetValue<string>())
            .OfType<string>()
            .Where(gv => !capabilities.ApiVersions.Contains(gv))
            .ToList();
        return capabilities.WithExtraApiVersions(discovered);
    }
}

/// <summary>
/// Helm's <c>lookup</c> against the cluster. Templates execute synchronously, so each call waits for its request;
/// an unknown kind or a missing object gives an empty map, as in Helm.
/// </summary>
internal sealed class ClusterLookup(ResourceClient client, ResourceMapper mapper, CancellationToken cancellationToken) : IClusterLookup
{
    public Value Lookup(string apiVersion, string kind, string @namespace, string name) =>
        Task.Run(() => LookupAsync(apiVersion, kind, @namespace, name), cancellationToken).GetAwaiter().GetResult();

    private async Task<Value> LookupAsync(string apiVersion, string kind, string ns, string name)
    {
        KubeResource resource;
        try
        {
            resource = await mapper.MapAsync(GroupVersionKind.From(apiVersion, kind), cancellationToken);
        }
        catch (NoKindMatchException)
        {
            return Value.Map(new GoMap());
        }

        var scope = resource.Namespaced ? ns : "";
        if (name.Length > 0)
        {
            var obj = await client.GetAsync(resource, new ObjectKey(scope, name), cancellationToken);
            return obj is null ? Value.Map(new GoMap()) : GoValues.FromJson(obj);
        }

        var (items, _) = await client.ListAsync(resource, resource.Namespaced && ns.Length > 0 ? ns : null, cancellationToken: cancellationToken);
        return GoValues.FromJson(new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = kind + "List", ["items"] = new JsonArray([.. items]) });
    }
}
