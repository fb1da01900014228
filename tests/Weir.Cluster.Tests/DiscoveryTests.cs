using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests;

/// <summary>Discovery, version, health and OpenAPI endpoints, and kubectl falling back to legacy discovery.</summary>
public sealed class DiscoveryTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<(string Body, string? ContentType)> Get(string path, string? accept = null)
    {
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task VersionAndHealth()
    {
        var version = JsonNode.Parse((await Get("/version")).Body)!;
        Assert.Equal("1", version["major"]!.GetValue<string>());
        Assert.Equal("37", version["minor"]!.GetValue<string>());
        Assert.Equal("v1.37.0", version["gitVersion"]!.GetValue<string>());
        foreach (var path in new[] { "/healthz", "/readyz", "/livez" })
        {
            Assert.Equal("ok", (await Get(path)).Body);
        }
    }

    [Fact]
    public async Task AggregatedDiscoveryAnswersTheFirstListedVersion()
    {
        var (body, type) = await Get("/apis",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", type?.Replace(" ", "", StringComparison.Ordinal));
        var doc = JsonNode.Parse(body)!;
        Assert.Equal("apidiscovery.k8s.io/v2", doc["apiVersion"]!.GetValue<string>());
        var apps = doc["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "deployments")!;
        Assert.Equal("deploy", deployments["shortNames"]![0]!.GetValue<string>());
        Assert.Contains(deployments["subresources"]!.AsArray(), s => s!["subresource"]!.GetValue<string>() == "scale");

        var beta = JsonNode.Parse((await Get("/api", "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json")).Body)!;
        Assert.Equal("apidiscovery.k8s.io/v2beta1", beta["apiVersion"]!.GetValue<string>());
        Assert.Equal("", beta["items"]![0]!["metadata"]!["name"]!.GetValue<string>());

        var legacy = JsonNode.Parse((await Get("/api")).Body)!;
        Assert.Equal("APIVersions", legacy["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiV3IndexAndDocuments()
    {
        var index = JsonNode.Parse((await Get("/openapi/v3")).Body)!["paths"]!;
        var url = index["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.Matches("^/openapi/v3/apis/apps/v1\\?hash=[0-9A-F]+$", url);
        var doc = JsonNode.Parse((await Get(url)).Body)!;
        var patch = doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
        var deployment = doc["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]!;
        Assert.Equal("#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec", deployment["properties"]!["spec"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(doc["components"]!["schemas"]!["io.k8s.api.core.v1.Container"]);

        using var http = cluster.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        request.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using var response = await http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("0A03322E3012150A", Convert.ToHexString(bytes[..8]));
        Assert.Equal("Kubernetes", System.Text.Encoding.ASCII.GetString(bytes, 9, 10));
    }

    [Fact]
    public async Task KubectlFallsBackToLegacyDiscovery()
    {
        var dataDir = TestEnv.TempDir("weir-legacy-");
        await using (var server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = dataDir, AggregatedDiscovery = false }))
        {
            var k = new Kubectl(Weir.Testing.Kubectl.Path(33), server.KubeconfigPath!, TestEnv.TempDir("weir-legacy-kubectl-"));
            Assert.Matches(new Regex(@"^configmaps\s+cm\s+v1\s+true\s+ConfigMap", RegexOptions.Multiline), await k.OkAsync("api-resources"));
            Assert.Matches(new Regex(@"^kube-system\s+Active\s", RegexOptions.Multiline), await k.OkAsync("get", "ns"));
            await k.OkAsync("apply", "-f", TestPaths.Output("Fixtures", "crd.yaml"));
            await k.OkAsync("apply", "-f", TestPaths.Output("Fixtures", "ns.yaml"));
            await k.OkAsync("apply", "-f", TestPaths.Output("Fixtures", "w1.yaml"));
            Assert.Matches(new Regex(@"^w1\s+3\s", RegexOptions.Multiline), await k.OkAsync("get", "wd", "-n", "demo"));
        }
        Directory.Delete(dataDir, recursive: true);
    }
}
