using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Weir.Cluster.Tests;

/// <summary>The same scenarios through the official C# client: typed calls, custom objects, GenericClient, watch.</summary>
public sealed class KubernetesClientTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));

    private static async Task EnsureNamespace(Kubernetes client, string name)
    {
        try
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Already there.
        }
    }

    [Fact]
    public async Task TypedCrudWithConflictsAndNotFound()
    {
        using var client = Client();
        var namespaces = await client.CoreV1.ListNamespaceAsync();
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default" && n.Status.Phase == "Active");
        await EnsureNamespace(client, "typed");

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cs1", Labels = new Dictionary<string, string> { ["app"] = "web" } }, Data = new Dictionary<string, string> { ["a"] = "1" } },
            "typed");
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.NotNull(created.Metadata.CreationTimestamp);

        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"b\":\"2\"}}", V1Patch.PatchType.MergePatch), "cs1", "typed");
        Assert.Equal("2", patched.Data["b"]);
        Assert.True(long.Parse(patched.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(created.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture));

        var jsonPatched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("[{\"op\":\"remove\",\"path\":\"/data/a\"},{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]", V1Patch.PatchType.JsonPatch), "cs1", "typed");
        Assert.Equal(["b", "c"], jsonPatched.Data.Keys.Order());

        created.Data["a"] = "stale";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "cs1", "typed"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("the object has been modified", conflict.Response.Content);

        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("nope", "typed"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
        var status = JsonDocument.Parse(missing.Response.Content).RootElement;
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("NotFound", status.GetProperty("reason").GetString());
        Assert.Equal("configmaps \"nope\" not found", status.GetProperty("message").GetString());

        var selected = await client.CoreV1.ListNamespacedConfigMapAsync("typed", labelSelector: "app=web");
        Assert.Single(selected.Items);
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync("typed", labelSelector: "app!=web")).Items);

        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "other" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "nginx" }] },
                },
            },
        };
        var invalid = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "typed"));
        Assert.Equal((HttpStatusCode)422, invalid.Response.StatusCode);
        Assert.Contains("Deployment.apps \\\"web\\\" is invalid: spec.template.metadata.labels: Invalid value:", invalid.Response.Content);
        Assert.Contains("`selector` does not match template `labels`", invalid.Response.Content);

        deployment.Spec.Template.Metadata.Labels["app"] = "web";
        var dep = await client.AppsV1.CreateNamespacedDeploymentAsync(deployment, "typed");
        Assert.Equal(1, dep.Metadata.Generation);
        Assert.Equal(1, dep.Spec.Replicas);
        dep.Spec.Selector.MatchLabels["tier"] = "x";
        dep.Spec.Template.Metadata.Labels["tier"] = "x";
        var immutable = await Assert.ThrowsAsync<HttpOperationException>(() => client.AppsV1.ReplaceNamespacedDeploymentAsync(dep, "web", "typed"));
        Assert.Contains("spec.selector: Invalid value:", immutable.Response.Content);
        Assert.Contains("field is immutable", immutable.Response.Content);

        var labelled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", V1Patch.PatchType.MergePatch), "web", "typed");
        Assert.Equal(1, labelled.Metadata.Generation);
        var scaled = await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"spec\":{\"replicas\":3}}", V1Patch.PatchType.MergePatch), "web", "typed");
        Assert.Equal(2, scaled.Metadata.Generation);

        await client.CoreV1.DeleteNamespacedConfigMapAsync("cs1", "typed");
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync("typed")).Items);
    }

    [Fact]
    public async Task CustomObjectsAndGenericClient()
    {
        using var client = Client();
        await EnsureNamespace(client, "custom");
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(TestPaths.Output("Fixtures", "crd.yaml")));
        crd.Metadata.Name = "widgets.client.example.com";
        crd.Spec.Group = "client.example.com";
        var stored = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        Assert.Contains(stored.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var widget = new Dictionary<string, object>
        {
            ["apiVersion"] = "client.example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "w1" },
            ["spec"] = new Dictionary<string, object> { ["size"] = 2, ["color"] = "green", ["unknown"] = "dropped" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, "client.example.com", "v1", "custom", "widgets");
        var got = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("client.example.com", "v1", "custom", "widgets", "w1");
        Assert.Equal(2, got.GetProperty("spec").GetProperty("size").GetInt32());
        Assert.Equal("round", got.GetProperty("spec").GetProperty("shape").GetString());
        Assert.False(got.GetProperty("spec").TryGetProperty("unknown", out _));

        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}", V1Patch.PatchType.MergePatch),
            "client.example.com", "v1", "custom", "widgets", "w1");
        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync("client.example.com", "v1", "custom", "widgets");
        Assert.Equal("WidgetList", list.GetProperty("kind").GetString());
        var item = list.GetProperty("items")[0];
        Assert.Equal("True", item.GetProperty("status").GetProperty("conditions")[0].GetProperty("status").GetString());
        Assert.Equal(1, item.GetProperty("metadata").GetProperty("generation").GetInt32());

        var bad = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(
            new Dictionary<string, object> { ["apiVersion"] = "client.example.com/v1", ["kind"] = "Widget", ["metadata"] = new Dictionary<string, object> { ["name"] = "w2" }, ["spec"] = new Dictionary<string, object> { ["size"] = "big" } },
            "client.example.com", "v1", "custom", "widgets"));
        Assert.Equal((HttpStatusCode)422, bad.Response.StatusCode);
        Assert.Contains("spec.size in body must be of type integer", bad.Response.Content);

        using var generic = new GenericClient(client, "", "v1", "configmaps", disposeClient: false);
        var cm = await generic.CreateNamespacedAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "g1" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "custom");
        Assert.Equal("g1", cm.Metadata.Name);
        var read = await generic.ReadNamespacedAsync<V1ConfigMap>("custom", "g1");
        Assert.Equal("v", read.Data["k"]);
        var all = await generic.ListNamespacedAsync<V1ConfigMapList>("custom");
        Assert.Single(all.Items);

        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.client.example.com");
        var gone = await Assert.ThrowsAsync<HttpOperationException>(() => client.CustomObjects.ListNamespacedCustomObjectAsync("client.example.com", "v1", "custom", "widgets"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Response.StatusCode);
    }

    [Fact]
    public async Task WatchYieldsAddedModifiedDeletedInOrder()
    {
        using var client = Client();
        await EnsureNamespace(client, "watched");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "before" } }, "watched");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, string)>();
        var enumerator = client.CoreV1.WatchListNamespacedConfigMapAsync("watched", allowWatchBookmarks: true, cancellationToken: cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await enumerator.MoveNextAsync());
        seen.Add((enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
        var writer = Task.Run(async () =>
        {
            await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"x\":\"1\"}}", V1Patch.PatchType.MergePatch), "before", "watched");
            await client.CoreV1.DeleteNamespacedConfigMapAsync("before", "watched");
        });
        while (seen.Count < 3 && await enumerator.MoveNextAsync())
        {
            if (enumerator.Current.Item1 != WatchEventType.Bookmark)
            {
                seen.Add((enumerator.Current.Item1, enumerator.Current.Item2.Metadata.Name));
            }
        }
        await writer;
        await cts.CancelAsync();
        Assert.Equal([(WatchEventType.Added, "before"), (WatchEventType.Modified, "before"), (WatchEventType.Deleted, "before")], seen);
    }
}
