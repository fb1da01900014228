using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Helm.Tests.Releases;

internal static class TestNamespaces
{
    /// <summary>Creates the namespace unless it exists (tests of one class share a cluster).</summary>
    public static async Task EnsureAsync(ResourceClient client, string name)
    {
        if (await client.GetAsync(KubeResource.Namespace, new ObjectKey("", name)) is null)
        {
            await client.CreateAsync(KubeResource.Namespace,
                new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        }
    }
}
