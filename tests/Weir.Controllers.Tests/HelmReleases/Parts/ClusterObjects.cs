using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases.Parts;

/// <summary>Namespaces, ConfigMaps and Secrets created on the embedded API server, and real kubectl against it.</summary>
internal static class ClusterObjects
{
    public static async Task NamespaceAsync(ResourceClient client, string name)
    {
        if (await client.GetAsync(KubeResource.Namespace, new ObjectKey("", name)) is null)
        {
            await client.CreateAsync(KubeResource.Namespace,
                new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        }
    }

    public static Task ConfigMapAsync(ResourceClient client, string ns, string name, params (string Key, string Value)[] data) =>
        client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        });

    public static Task SecretAsync(ResourceClient client, string ns, string name, params (string Key, string Value)[] data) =>
        client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))))),
        });

    public static async Task<string> KubectlAsync(EmbeddedCluster cluster, params string[] args)
    {
        var (code, output, error) = await Kubectl.RunAsync(cluster.Server.KubeconfigPath!, 32, args);
        Assert.True(code == 0, $"kubectl {string.Join(' ', args)}: {error}");
        return output.Trim();
    }
}
