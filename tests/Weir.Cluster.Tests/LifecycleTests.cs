using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Tests;

/// <summary>Object lifecycle rules over raw HTTP: generateName, dry run, generation, garbage collection, deletecollection, scale.</summary>
public sealed class LifecycleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<(HttpStatusCode Code, JsonNode? Body)> Send(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<string> CreateConfigMap(string ns, string name, string? ownerUid = null, string ownerName = "owner")
    {
        var owner = ownerUid is null ? "" : $",\"ownerReferences\":[{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"{ownerName}\",\"uid\":\"{ownerUid}\"}}]";
        var (code, body) = await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps", $"{{\"metadata\":{{\"name\":\"{name}\"{owner}}}}}");
        Assert.Equal(HttpStatusCode.Created, code);
        return body!["metadata"]!["uid"]!.GetValue<string>();
    }

    private async Task<bool> Exists(string ns, string name) => (await Send(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/{name}")).Code == HttpStatusCode.OK;

    [Fact]
    public async Task GenerateNameAndDryRun()
    {
        var (code, body) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"generateName\":\"gen-\"}}");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Matches("^gen-[a-z0-9]{5}$", body!["metadata"]!["name"]!.GetValue<string>());

        var (dryCode, dry) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps?dryRun=All", "{\"metadata\":{\"name\":\"dry\"}}");
        Assert.Equal(HttpStatusCode.Created, dryCode);
        Assert.Equal("dry", dry!["metadata"]!["name"]!.GetValue<string>());
        Assert.False(await Exists("default", "dry"));
    }

    [Fact]
    public async Task GenerationMovesWithSpecOnly()
    {
        const string dep = "{\"metadata\":{\"name\":\"gen\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i:1\"}]}}}}";
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments", dep)).Code);
        var path = "/apis/apps/v1/namespaces/default/deployments/gen";
        var (_, labelled) = await Send(HttpMethod.Patch, path, "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}", "application/merge-patch+json");
        Assert.Equal(1, labelled!["metadata"]!["generation"]!.GetValue<int>());
        var (_, status) = await Send(HttpMethod.Patch, path + "/status", "{\"status\":{\"readyReplicas\":1,\"replicas\":1}}", "application/merge-patch+json");
        Assert.Equal(1, status!["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(1, status["status"]!["readyReplicas"]!.GetValue<int>());
        var (_, ignored) = await Send(HttpMethod.Patch, path, "{\"status\":{\"readyReplicas\":5}}", "application/merge-patch+json");
        Assert.Equal(1, ignored!["status"]!["readyReplicas"]!.GetValue<int>());
        var (_, scaled) = await Send(HttpMethod.Patch, path + "/scale", "{\"spec\":{\"replicas\":4}}", "application/merge-patch+json");
        Assert.Equal("Scale", scaled!["kind"]!.GetValue<string>());
        Assert.Equal(4, scaled["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("a=b", scaled["status"]!["selector"]!.GetValue<string>());
        var (_, after) = await Send(HttpMethod.Get, path);
        Assert.Equal(2, after!["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(4, after["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task GarbageCollectionFollowsPropagationPolicy()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"gc\"}}");
        foreach (var policy in new[] { "Background", "Foreground", "Orphan" })
        {
            var owner = await CreateConfigMap("gc", "owner");
            await CreateConfigMap("gc", "child", owner);
            var grandchildOwner = (await Send(HttpMethod.Get, "/api/v1/namespaces/gc/configmaps/child")).Body!["metadata"]!["uid"]!.GetValue<string>();
            await CreateConfigMap("gc", "grandchild", grandchildOwner, "child");
            var (code, _) = await Send(HttpMethod.Delete, "/api/v1/namespaces/gc/configmaps/owner", $"{{\"propagationPolicy\":\"{policy}\"}}");
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.False(await Exists("gc", "owner"));
            if (policy == "Orphan")
            {
                Assert.True(await Exists("gc", "child"));
                Assert.Null((await Send(HttpMethod.Get, "/api/v1/namespaces/gc/configmaps/child")).Body!["metadata"]!["ownerReferences"]);
                Assert.True(await Exists("gc", "grandchild"));
            }
            else
            {
                Assert.False(await Exists("gc", "child"), policy);
                Assert.False(await Exists("gc", "grandchild"), policy);
            }
            await Send(HttpMethod.Delete, "/api/v1/namespaces/gc/configmaps?labelSelector=");
        }
    }

    [Fact]
    public async Task DeleteCollectionHonoursSelectors()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"bulk\"}}");
        foreach (var (name, tier) in new[] { ("a", "web"), ("b", "web"), ("c", "db") })
        {
            await Send(HttpMethod.Post, "/api/v1/namespaces/bulk/configmaps", $"{{\"metadata\":{{\"name\":\"{name}\",\"labels\":{{\"tier\":\"{tier}\"}}}}}}");
        }
        var (code, deleted) = await Send(HttpMethod.Delete, "/api/v1/namespaces/bulk/configmaps?labelSelector=tier%3Dweb");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal(2, deleted!["items"]!.AsArray().Count);
        var (_, left) = await Send(HttpMethod.Get, "/api/v1/namespaces/bulk/configmaps");
        Assert.Equal("c", Assert.Single(left!["items"]!.AsArray())!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PagingWalksEveryItemOnce()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"pages\"}}");
        for (var i = 0; i < 7; i++)
        {
            await Send(HttpMethod.Post, "/api/v1/namespaces/pages/configmaps", $"{{\"metadata\":{{\"name\":\"p{i}\"}}}}");
        }
        var names = new List<string>();
        string? token = null;
        var requests = 0;
        do
        {
            var (_, page) = await Send(HttpMethod.Get, "/api/v1/namespaces/pages/configmaps?limit=3" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token)));
            names.AddRange(page!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
            token = page["metadata"]!["continue"]?.GetValue<string>();
            requests++;
        }
        while (token is not null);
        Assert.Equal(3, requests);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"p{i}"), names);
    }

    [Fact]
    public async Task WatchResumesFromAResourceVersionWithSelectors()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"resume\"}}");
        var (_, list) = await Send(HttpMethod.Get, "/api/v1/namespaces/resume/configmaps");
        var rv = list!["metadata"]!["resourceVersion"]!.GetValue<string>();
        await Send(HttpMethod.Post, "/api/v1/namespaces/resume/configmaps", "{\"metadata\":{\"name\":\"skip\",\"labels\":{\"app\":\"other\"}}}");
        await Send(HttpMethod.Post, "/api/v1/namespaces/resume/configmaps", "{\"metadata\":{\"name\":\"keep\",\"labels\":{\"app\":\"web\"}}}");
        using var http = cluster.Http();
        using var response = await http.GetAsync($"/api/v1/namespaces/resume/configmaps?watch=true&resourceVersion={rv}&labelSelector=app%3Dweb&allowWatchBookmarks=true", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("ADDED", first["type"]!.GetValue<string>());
        Assert.Equal("keep", first["object"]!["metadata"]!["name"]!.GetValue<string>());
        var bookmark = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("BOOKMARK", bookmark["type"]!.GetValue<string>());
        Assert.Equal("ConfigMap", bookmark["object"]!["kind"]!.GetValue<string>());
    }
}
