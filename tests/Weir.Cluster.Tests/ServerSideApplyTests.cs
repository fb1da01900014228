using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Weir.Cluster.Tests;

/// <summary>Server-side apply and dry run through the C# client and plain HTTP: ownership, conflicts, list semantics.</summary>
public sealed class ServerSideApplyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private Kubernetes Client() => new(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));

    private async Task<(HttpStatusCode Code, JsonNode? Body)> Send(HttpMethod method, string path, object? body = null, string contentType = "application/json")
    {
        using var http = cluster.Http();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body is string s ? s : JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        }
        using var response = await http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    private async Task Namespace(string name) =>
        await Send(HttpMethod.Post, "/api/v1/namespaces", $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}");

    private static Dictionary<string, string> Managers(JsonNode obj) =>
        (obj["metadata"]!["managedFields"] as JsonArray ?? []).ToDictionary(
            e => e!["manager"]!.GetValue<string>() + (e["subresource"] is { } s ? "/" + s.GetValue<string>() : ""),
            e => e!["fieldsV1"]!.ToJsonString(Relaxed));

    [Fact]
    public async Task ClientApplyPatchOwnsConflictsAndForces()
    {
        using var client = Client();
        await Namespace("ssa-client");
        var config = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"k\":\"a\",\"other\":\"o\"}}";
        var created = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(config, V1Patch.PatchType.ApplyPatch), "cfg", "ssa-client", fieldManager: "ctl-a");
        Assert.Equal("a", created.Data["k"]);
        var entry = Assert.Single(created.Metadata.ManagedFields);
        Assert.Equal(("ctl-a", "Apply", "v1", "FieldsV1"), (entry.Manager, entry.Operation, entry.ApiVersion, entry.FieldsType));
        Assert.NotNull(entry.Time);

        var mine = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"k\":\"b\"}}";
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(mine, V1Patch.PatchType.ApplyPatch), "cfg", "ssa-client", fieldManager: "ctl-b"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var status = JsonNode.Parse(conflict.Response.Content)!;
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Equal("Apply failed with 1 conflict: conflict with \"ctl-a\": .data.k", status["message"]!.GetValue<string>());
        var cause = status["details"]!["causes"]![0]!;
        Assert.Equal(("FieldManagerConflict", "conflict with \"ctl-a\"", ".data.k"),
            (cause["reason"]!.GetValue<string>(), cause["message"]!.GetValue<string>(), cause["field"]!.GetValue<string>()));

        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(mine, V1Patch.PatchType.ApplyPatch), "cfg", "ssa-client", fieldManager: "ctl-b", force: true);
        Assert.Equal("b", forced.Data["k"]);
        var (_, got) = await Send(HttpMethod.Get, "/api/v1/namespaces/ssa-client/configmaps/cfg");
        var managers = Managers(got!);
        Assert.Equal("{\"f:data\":{\"f:other\":{}}}", managers["ctl-a"]);
        Assert.Equal("{\"f:data\":{\"f:k\":{}}}", managers["ctl-b"]);

        // ctl-b stops applying k: nobody owns it any more, so it goes; ctl-a's field stays.
        var empty = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"labels\":{\"by\":\"b\"}}}";
        var pruned = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(empty, V1Patch.PatchType.ApplyPatch), "cfg", "ssa-client", fieldManager: "ctl-b");
        Assert.Equal(["other"], pruned.Data.Keys);

        var noManager = await Send(HttpMethod.Patch, "/api/v1/namespaces/ssa-client/configmaps/cfg", mine, "application/apply-patch+yaml");
        Assert.Equal((HttpStatusCode)422, noManager.Code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch", noManager.Body!["message"]!.GetValue<string>());
        var forceOnMerge = await Send(HttpMethod.Patch, "/api/v1/namespaces/ssa-client/configmaps/cfg?force=true&fieldManager=x", "{\"data\":{\"z\":\"1\"}}", "application/merge-patch+json");
        Assert.Equal((HttpStatusCode)422, forceOnMerge.Code);
        Assert.Equal("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch", forceOnMerge.Body!["message"]!.GetValue<string>());

        var missingNs = await Send(HttpMethod.Patch, "/api/v1/namespaces/nowhere/configmaps/cfg?fieldManager=x", mine, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.NotFound, missingNs.Code);
        Assert.Equal("namespaces \"nowhere\" not found", missingNs.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateOperationsRecordAndTransferOwnership()
    {
        await Namespace("ssa-update");
        var (code, created) = await Send(HttpMethod.Post, "/api/v1/namespaces/ssa-update/configmaps?fieldManager=creator",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"u\",\"labels\":{\"a\":\"1\"}},\"data\":{\"a\":\"1\"}}");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("{\"f:data\":{\".\":{},\"f:a\":{}},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}}}", Managers(created!)["creator"]);
        var entry = created!["metadata"]!["managedFields"]![0]!;
        Assert.Equal("Update", entry["operation"]!.GetValue<string>());

        var (_, patched) = await Send(HttpMethod.Patch, "/api/v1/namespaces/ssa-update/configmaps/u?fieldManager=editor",
            "{\"data\":{\"a\":\"2\",\"b\":\"3\"}}", "application/merge-patch+json");
        var managers = Managers(patched!);
        Assert.Equal("{\"f:data\":{\"f:a\":{},\"f:b\":{}}}", managers["editor"]);
        Assert.Equal("{\"f:data\":{},\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\":{}}}}", managers["creator"]);

        // An apply of the value an Update manager set conflicts with it, named with its API version.
        var apply = await Send(HttpMethod.Patch, "/api/v1/namespaces/ssa-update/configmaps/u?fieldManager=applier",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\ndata:\n  b: other\n", "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Conflict, apply.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"editor\" using v1: .data.b", apply.Body!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetsAndCustomResourceListMapsMergePerItem()
    {
        await Namespace("ssa-lists");
        var crd = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"gadgets.ssa.example.com"},
             "spec":{"group":"ssa.example.com","scope":"Namespaced","names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
              "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},"schema":{"openAPIV3Schema":{"type":"object","properties":{
                "spec":{"type":"object","properties":{
                  "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name","port"],
                    "items":{"type":"object","required":["name","port"],"properties":{"name":{"type":"string"},"port":{"type":"integer"},"note":{"type":"string"}}}},
                  "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
                  "args":{"type":"array","items":{"type":"string"}}}},
                "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}}]}}
            """;
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd)).Code);
        const string path = "/apis/ssa.example.com/v1/namespaces/ssa-lists/gadgets/g";
        string Gadget(string spec) => $"{{\"apiVersion\":\"ssa.example.com/v1\",\"kind\":\"Gadget\",\"metadata\":{{\"name\":\"g\"}},\"spec\":{spec}}}";
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Patch, path + "?fieldManager=a",
            Gadget("{\"ports\":[{\"name\":\"http\",\"port\":80,\"note\":\"a\"}],\"tags\":[\"x\"],\"args\":[\"1\"]}"), "application/apply-patch+yaml")).Code);
        var (code, merged) = await Send(HttpMethod.Patch, path + "?fieldManager=b",
            Gadget("{\"ports\":[{\"name\":\"http\",\"port\":443}],\"tags\":[\"y\"]}"), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("[{\"name\":\"http\",\"port\":80,\"note\":\"a\"},{\"name\":\"http\",\"port\":443}]", merged!["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("[\"x\",\"y\"]", merged["spec"]!["tags"]!.ToJsonString());
        var managers = Managers(merged);
        Assert.Equal("{\"f:spec\":{\"f:args\":{},\"f:ports\":{\"k:{\\\"name\\\":\\\"http\\\",\\\"port\\\":80}\":{\".\":{},\"f:name\":{},\"f:note\":{},\"f:port\":{}}},\"f:tags\":{\"v:\\\"x\\\"\":{}}}}", managers["a"]);
        Assert.Equal("{\"f:spec\":{\"f:ports\":{\"k:{\\\"name\\\":\\\"http\\\",\\\"port\\\":443}\":{\".\":{},\"f:name\":{},\"f:port\":{}}},\"f:tags\":{\"v:\\\"y\\\"\":{}}}}", managers["b"]);

        // A list without a list type is atomic: owned whole, so another value conflicts.
        var atomic = await Send(HttpMethod.Patch, path + "?fieldManager=b", Gadget("{\"args\":[\"2\"]}"), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Conflict, atomic.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.args", atomic.Body!["message"]!.GetValue<string>());

        // a stops applying its port and tag: only a's items go.
        var (_, after) = await Send(HttpMethod.Patch, path + "?fieldManager=a", Gadget("{\"args\":[\"1\"]}"), "application/apply-patch+yaml");
        Assert.Equal("[{\"name\":\"http\",\"port\":443}]", after!["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("[\"y\"]", after["spec"]!["tags"]!.ToJsonString());

        // Status through its subresource is recorded with the subresource, and the spec part of the body is ignored.
        var (statusCode, withStatus) = await Send(HttpMethod.Patch, path + "/status?fieldManager=ctrl",
            Gadget("{\"args\":[\"9\"]}").Replace("}}", "},\"status\":{\"phase\":\"Ready\"}}", StringComparison.Ordinal), "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.OK, statusCode);
        Assert.Equal("Ready", withStatus!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("[\"1\"]", withStatus["spec"]!["args"]!.ToJsonString());
        Assert.True(Managers(withStatus).TryGetValue("ctrl/status", out var statusFields), withStatus.ToJsonString());
        Assert.Equal("{\"f:status\":{\"f:phase\":{}}}", statusFields);

        var smp = await Send(HttpMethod.Patch, path, "{\"spec\":{\"tags\":[\"z\"]}}", "application/strategic-merge-patch+json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, smp.Code);
    }

    [Fact]
    public async Task DryRunStoresNothingOnAnyVerb()
    {
        await Namespace("ssa-dry");
        const string list = "/api/v1/namespaces/ssa-dry/configmaps";
        const string one = list + "/d";
        var body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"d\"},\"data\":{\"k\":\"v\"}}";

        var (code, dry) = await Send(HttpMethod.Post, list + "?dryRun=All", body);
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("v", dry!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, one)).Code);

        (code, dry) = await Send(HttpMethod.Patch, one + "?dryRun=All&fieldManager=m", body, "application/apply-patch+yaml");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, one)).Code);

        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, list, body)).Code);
        var (_, stored) = await Send(HttpMethod.Get, one);
        var rv = stored!["metadata"]!["resourceVersion"]!.GetValue<string>();

        (code, dry) = await Send(HttpMethod.Put, one + "?dryRun=All", body.Replace("\"v\"", "\"put\"", StringComparison.Ordinal));
        Assert.Equal((HttpStatusCode.OK, "put"), (code, dry!["data"]!["k"]!.GetValue<string>()));
        (code, dry) = await Send(HttpMethod.Patch, one + "?dryRun=All", "{\"data\":{\"k\":\"merge\"}}", "application/merge-patch+json");
        Assert.Equal((HttpStatusCode.OK, "merge"), (code, dry!["data"]!["k"]!.GetValue<string>()));
        (code, dry) = await Send(HttpMethod.Patch, one + "?dryRun=All&fieldManager=m&force=true", body.Replace("\"v\"", "\"apply\"", StringComparison.Ordinal), "application/apply-patch+yaml");
        Assert.Equal((HttpStatusCode.OK, "apply"), (code, dry!["data"]!["k"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, one + "?dryRun=All")).Code);
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Delete, list + "?dryRun=All")).Code);

        var (_, after) = await Send(HttpMethod.Get, one);
        Assert.Equal("v", after!["data"]!["k"]!.GetValue<string>());
        Assert.Equal(rv, after["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
