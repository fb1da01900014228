using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Tests;

/// <summary>
/// <c>kubectl apply --server-side</c>, client-side apply and <c>kubectl patch --type strategic</c> through every
/// installed kubectl, each version in its own namespace of one server.
/// </summary>
public sealed class KubectlServerSideApplyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    public static TheoryData<int> Minors() => [.. Weir.Testing.Kubectl.Minors];

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string ConflictAdvice = "Please review the fields above--they currently have other managers.";

    private Kubectl For(int minor)
    {
        var work = TestEnv.TempDir($"weir-ssa-{minor}-");
        return new Kubectl(Weir.Testing.Kubectl.Path(minor), cluster.Kubeconfig, work);
    }

    /// <summary>Through a file: the typed <c>kubectl create namespace</c> sends protobuf from 1.32 on.</summary>
    private static Task<string> CreateNamespace(Kubectl k, string ns) =>
        k.OkAsync("apply", "--server-side", "-f", Write(k, "ns.yaml", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n"));

    private static string Write(Kubectl k, string name, string yaml)
    {
        var path = Path.Combine(k.WorkDir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task<JsonObject> GetJson(Kubectl k, params string[] args) =>
        JsonNode.Parse(await k.OkAsync(["get", .. args, "-o", "json"]))!.AsObject();

    private static string ConfigMap(string ns, string value, string extra = "") =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {ns}\ndata:\n  key: {value}\n{extra}";

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task ServerSideApplyConflictsAndForce(int minor)
    {
        var k = For(minor);
        var ns = $"ssa-{minor}";
        await CreateNamespace(k, ns);

        var file = Write(k, "cm.yaml", ConfigMap(ns, "one", "  other: two\n"));
        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", file));
        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", file));

        var mine = Write(k, "mine.yaml", ConfigMap(ns, "changed"));
        var conflict = await k.RunAsync("apply", "--server-side", "--field-manager", "mine", "-f", mine);
        Assert.Equal(1, conflict.Code);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.key\n" + ConflictAdvice, conflict.Err);

        // Applying the value the other manager holds shares the field instead of conflicting.
        var shared = Write(k, "shared.yaml", ConfigMap(ns, "one"));
        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "--field-manager", "sharer", "-f", shared));

        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "--field-manager", "mine", "--force-conflicts", "-f", mine));
        var cm = await GetJson(k, "configmap", "x", "-n", ns, "--show-managed-fields");
        Assert.Equal("changed", cm["data"]!["key"]!.GetValue<string>());
        var managers = ManagedFieldsOf(cm);
        Assert.Equal("{\"f:data\":{\"f:other\":{}}}", managers["kubectl"]);
        Assert.Equal("{\"f:data\":{\"f:key\":{}}}", managers["mine"]);
        Assert.False(managers.ContainsKey("sharer"));

        // kubectl stops applying "other": nobody else owns it, so it goes.
        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", Write(k, "less.yaml", ConfigMap(ns, "changed"))));
        cm = await GetJson(k, "configmap", "x", "-n", ns);
        Assert.Null(cm["data"]!["other"]);

        // Several managers in conflict: sorted by manager, one line per field.
        var both = Write(k, "both.yaml", ConfigMap(ns, "third", "  extra: e\n"));
        await k.OkAsync("apply", "--server-side", "--field-manager", "extra-owner", "-f", Write(k, "extra.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {ns}\ndata:\n  extra: owned\n"));
        var two = await k.RunAsync("apply", "--server-side", "--field-manager", "third", "-f", both);
        Assert.Equal(1, two.Code);
        Assert.StartsWith("error: Apply failed with 3 conflicts: conflicts with \"extra-owner\":\n- .data.extra\nconflicts with \"kubectl\":\n- .data.key\nconflicts with \"mine\":\n- .data.key\n" + ConflictAdvice, two.Err);

        // An Update manager is named with its API version.
        await k.OkAsync("label", "configmap", "x", "-n", ns, "team=a");
        var label = Write(k, "label.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: {ns}\n  labels:\n    team: b\n");
        var byLabel = await k.RunAsync("apply", "--server-side", "--field-manager", "labeler", "-f", label);
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-label\" using v1: .metadata.labels.team\n", byLabel.Err);

        // Server-side dry run stores nothing.
        Assert.Equal("configmap/x serverside-applied (server dry run)\n", await k.OkAsync("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", both));
        Assert.Equal("changed", (await GetJson(k, "configmap", "x", "-n", ns))["data"]!["key"]!.GetValue<string>());
        Assert.Equal("configmap/dry serverside-applied (server dry run)\n", await k.OkAsync("apply", "--server-side", "--dry-run=server", "-f",
            Write(k, "dry.yaml", ConfigMap(ns, "v").Replace("name: x", "name: dry", StringComparison.Ordinal))));
        Assert.Equal(1, (await k.RunAsync("get", "configmap", "dry", "-n", ns)).Code);
    }

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task DeploymentListsMergeByKeyAndDroppedItemsGo(int minor)
    {
        var k = For(minor);
        var ns = $"ssa-deploy-{minor}";
        await CreateNamespace(k, ns);
        string Deployment(string containers) =>
            $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n{containers}";
        var full = Deployment("      - name: app\n        image: nginx:1\n        ports: [{containerPort: 80}, {containerPort: 443}]\n        env: [{name: A, value: '1'}, {name: B, value: '2'}]\n      - name: side\n        image: busybox\n");
        Assert.Equal("deployment.apps/web serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", Write(k, "d1.yaml", full)));
        var managed = ManagedFieldsOf(await GetJson(k, "deployment", "web", "-n", ns, "--show-managed-fields"))["kubectl"];
        Assert.Contains("\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}", managed);
        Assert.Contains("\"k:{\\\"name\\\":\\\"side\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}", managed);

        // Another manager owns one env var; kubectl then drops B, port 443 and the side container.
        await k.OkAsync("set", "env", "deployment/web", "-n", ns, "-c", "app", "C=3");
        var fewer = Deployment("      - name: app\n        image: nginx:1\n        ports: [{containerPort: 80}]\n        env: [{name: A, value: '1'}]\n");
        Assert.Equal("deployment.apps/web serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", Write(k, "d2.yaml", fewer)));
        var spec = (await GetJson(k, "deployment", "web", "-n", ns))["spec"]!["template"]!["spec"]!;
        var containers = spec["containers"]!.AsArray();
        Assert.Equal(["app"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(["A", "C"], containers[0]!["env"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()));
        Assert.Equal([80], containers[0]!["ports"]!.AsArray().Select(p => p!["containerPort"]!.GetValue<int>()));
        Assert.Equal("IfNotPresent", containers[0]!["imagePullPolicy"]!.GetValue<string>());

        // A second applier adds its own container by name; the first one's stays.
        var other = $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: {ns}\nspec:\n  template:\n    spec:\n      containers:\n      - name: extra\n        image: redis\n";
        Assert.Equal("deployment.apps/web serverside-applied\n", await k.OkAsync("apply", "--server-side", "--field-manager", "sidecar-injector", "-f", Write(k, "d3.yaml", other)));
        containers = (await GetJson(k, "deployment", "web", "-n", ns))["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["app", "extra"], containers.Select(c => c!["name"]!.GetValue<string>()));

        var image = await k.RunAsync("apply", "--server-side", "-f", Write(k, "d4.yaml", fewer.Replace("nginx:1", "nginx:2", StringComparison.Ordinal)));
        Assert.Equal(0, image.Code);
        await k.OkAsync("set", "image", "deployment/web", "-n", ns, "app=nginx:3");
        var stolen = await k.RunAsync("apply", "--server-side", "-f", Write(k, "d5.yaml", fewer.Replace("nginx:1", "nginx:4", StringComparison.Ordinal)));
        Assert.StartsWith("error: Apply failed with 1 conflict: conflict with \"kubectl-set\" using apps/v1: .spec.template.spec.containers[name=\"app\"].image\n", stolen.Err);
    }

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task ClientSideApplyTwiceEditThenServerSide(int minor)
    {
        var k = For(minor);
        var ns = $"csa-{minor}";
        await CreateNamespace(k, ns);
        var file = Write(k, "cm.yaml", ConfigMap(ns, "one", "  b: bee\n"));
        Assert.Equal("configmap/x created\n", await k.OkAsync("apply", "-f", file));
        Assert.Equal("configmap/x unchanged\n", await k.OkAsync("apply", "-f", file));
        // Dropping a key from the file removes it (three-way merge against the last-applied annotation).
        Assert.Equal("configmap/x configured\n", await k.OkAsync("apply", "-f", Write(k, "cm2.yaml", ConfigMap(ns, "two"))));
        var cm = await GetJson(k, "configmap", "x", "-n", ns, "--show-managed-fields");
        Assert.Null(cm["data"]!["b"]);
        Assert.Contains("\"data\":{\"key\":\"two\"}", cm["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
        Assert.True(ManagedFieldsOf(cm).ContainsKey("kubectl-client-side-apply"));

        var editor = Write(k, "editor.sh", "#!/bin/sh\nsed -i 's/key: two/key: edited/' \"$1\"\n");
        var edited = await RunWithEditor(k, editor, "edit", "configmap", "x", "-n", ns);
        Assert.Equal("configmap/x edited\n", edited);
        Assert.Equal("edited", (await GetJson(k, "configmap", "x", "-n", ns))["data"]!["key"]!.GetValue<string>());

        // Client-side apply after the edit puts the file's value back.
        Assert.Equal("configmap/x configured\n", await k.OkAsync("apply", "-f", Write(k, "cm3.yaml", ConfigMap(ns, "two"))));
        Assert.Equal("two", (await GetJson(k, "configmap", "x", "-n", ns))["data"]!["key"]!.GetValue<string>());

        // The move to server-side apply: the value last applied client-side changes without a conflict.
        Assert.Equal("configmap/x serverside-applied\n", await k.OkAsync("apply", "--server-side", "-f", Write(k, "cm4.yaml", ConfigMap(ns, "three"))));
        cm = await GetJson(k, "configmap", "x", "-n", ns, "--show-managed-fields");
        Assert.Equal("three", cm["data"]!["key"]!.GetValue<string>());
        Assert.Contains("\"data\":{\"key\":\"three\"}", cm["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"]!.GetValue<string>());
        var managers = ManagedFieldsOf(cm);
        Assert.Contains("f:key", managers["kubectl"]);
        Assert.DoesNotContain("f:key", managers.GetValueOrDefault("kubectl-client-side-apply") ?? "");
    }

    private static async Task<string> RunWithEditor(Kubectl k, string editor, params string[] args)
    {
        var result = await k.RunAsync(new Dictionary<string, string?> { ["KUBE_EDITOR"] = "sh " + editor }, args);
        Assert.True(result.Code == 0, result.Err);
        return result.Out;
    }

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task StrategicPatchDirectivesMatchKubectlLocal(int minor)
    {
        var k = For(minor);
        var ns = $"smp-{minor}";
        await CreateNamespace(k, ns);
        var deployment = $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: {ns}\n  finalizers: [example.com/a, example.com/b]\nspec:\n  selector:\n    matchLabels: {{app: web}}\n  strategy:\n    type: RollingUpdate\n    rollingUpdate: {{maxSurge: 1}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: a\n        image: nginx\n        env: [{{name: E1, value: '1'}}, {{name: E2, value: '2'}}]\n        ports: [{{containerPort: 80}}, {{containerPort: 90}}]\n      - name: b\n        image: busybox\n      volumes:\n      - name: v\n        hostPath: {{path: /x}}\n";
        await k.OkAsync("apply", "--server-side", "-f", Write(k, "web.yaml", deployment));
        string[] patches =
        [
            """{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"w"},{"name":"a","image":"x2"}]}}}}""",
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"},{"name":"b"},{"name":"a"}],"containers":[{"name":"b","image":"y2"}]}}}}""",
            """{"spec":{"template":{"spec":{"containers":[{"name":"a","env":[{"name":"E1","$patch":"delete"},{"name":"E3","value":"3"}]}]}}}}""",
            """{"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":70}]}]}}}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["example.com/a"],"finalizers":["example.com/c"]}}""",
            """{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""",
            """{"spec":{"template":{"spec":{"volumes":[{"name":"v","$retainKeys":["name","emptyDir"],"emptyDir":{}}]}}}}""",
            """{"spec":{"template":{"metadata":{"labels":{"$patch":"replace","app":"web","tier":"x"}}}}}""",
            """{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"z"},{"$patch":"replace"}]}}}}""",
        ];
        foreach (var patch in patches)
        {
            var before = Path.Combine(k.WorkDir, "before.json");
            File.WriteAllText(before, await k.OkAsync("get", "deployment", "web", "-n", ns, "-o", "json"));
            var expected = JsonNode.Parse(await k.OkAsync("patch", "--local", "-f", before, "--type", "strategic", "-p", patch, "-o", "json"))!;
            Assert.Equal("deployment.apps/web patched\n", await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type", "strategic", "-p", patch));
            var actual = await GetJson(k, "deployment", "web", "-n", ns);
            // kubectl patch --local does not default new containers; the server does.
            WithoutDefaults(expected);
            WithoutDefaults(actual);
            Assert.True(JsonNode.DeepEquals(expected["spec"], actual["spec"]), $"{patch}\nexpected {expected["spec"]!.ToJsonString()}\nactual   {actual["spec"]!.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(expected["metadata"]!["finalizers"], actual["metadata"]!["finalizers"]), patch);
        }

        var bad = await k.RunAsync("patch", "deployment", "web", "-n", ns, "--type", "strategic", "-p", """{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":2}}}}""");
        Assert.Equal(1, bad.Code);
        Assert.Contains("invalid patch format of retainKeys", bad.Err);
        await k.OkAsync("patch", "deployment", "web", "-n", ns, "--type", "json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");
    }

    private static void WithoutDefaults(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in new[] { "imagePullPolicy", "resources", "terminationMessagePath", "terminationMessagePolicy", "protocol" })
                {
                    o.Remove(key);
                }
                foreach (var (_, v) in o)
                {
                    WithoutDefaults(v);
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    WithoutDefaults(v);
                }
                break;
        }
    }

    /// <summary>Each manager's fieldsV1 as compact JSON.</summary>
    private static Dictionary<string, string> ManagedFieldsOf(JsonObject obj) =>
        (obj["metadata"]!["managedFields"] as JsonArray ?? []).ToDictionary(e => e!["manager"]!.GetValue<string>(), e => e!["fieldsV1"]!.ToJsonString(Relaxed));
}
