using System.Text.RegularExpressions;
using Weir.Cluster.Auth;

namespace Weir.Cluster.Tests;

/// <summary>
/// kube-api-surface.md §15 through every installed kubectl binary against a fresh server (minus what part 2 owns:
/// server-side apply, strategic merge semantics, RBAC and protobuf bodies).
/// </summary>
public abstract class KubectlAcceptanceTests
{
    protected static async Task RunScenarioAsync(int minor)
    {
        var dataDir = TestEnv.TempDir($"weir-accept-{minor}-");
        var work = TestEnv.TempDir($"weir-kubectl-{minor}-");
        foreach (var f in Directory.GetFiles(TestPaths.Output("Fixtures")))
        {
            File.Copy(f, Path.Combine(work, Path.GetFileName(f)));
        }
        await using var server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = dataDir, BookmarkInterval = TimeSpan.FromSeconds(1), Simulator = new() { Enabled = false } });
        var k = new Kubectl(Weir.Testing.Kubectl.Path(minor), server.KubeconfigPath!, work);
        try
        {
            await DiscoveryAndPrinting(k, minor);
            await CreateAndApply(k, work);
            await GetVariantsAndErrors(k, dataDir);
            await TypedCreate(k);
            await CrdsStatusWaitExplain(k);
            await Watch(k);
            await DescribeEventsScale(k);
            await DeleteFinalizersGcNamespaces(k);
            await MultiDocumentApply(k);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
        Directory.Delete(dataDir, recursive: true);
    }

    /// <summary>Typed `kubectl create configmap` sends protobuf from 1.32 on (part 2), so these go through a file.</summary>
    private static async Task CreateConfigMap(Kubectl k, string name, string ns)
    {
        File.WriteAllText(Path.Combine(k.WorkDir, $"{name}.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  x: \"1\"\n");
        await k.OkAsync("create", "-f", $"{name}.yaml");
    }

    private static void Contains(string expected, string actual) =>
        Assert.True(actual.Contains(expected, StringComparison.Ordinal), $"expected to find:\n{expected}\nin:\n{actual}");

    private static void Matches(string pattern, string actual) =>
        Assert.True(Regex.IsMatch(actual, pattern, RegexOptions.Multiline), $"expected to match:\n{pattern}\nin:\n{actual}");

    private static async Task DiscoveryAndPrinting(Kubectl k, int minor)
    {
        Matches(@"Server Version: (v1\.37\.0|version\.Info\{.*GitVersion:""v1\.37\.0"")", await k.OkAsync("version"));
        var versions = await k.OkAsync("api-versions");
        Matches("^apps/v1$", versions);
        Matches("^apiextensions.k8s.io/v1$", versions);
        Matches("^v1$", versions);
        var resources = await k.OkAsync("api-resources");
        Matches(@"^configmaps\s+cm\s+v1\s+true\s+ConfigMap", resources);
        Matches(@"^namespaces\s+ns\s+v1\s+false\s+Namespace", resources);
        Matches(@"^deployments\s+deploy\s+apps/v1\s+true\s+Deployment", resources);
        Matches(@"^customresourcedefinitions\s+crd,crds\s+apiextensions.k8s.io/v1\s+false\s+CustomResourceDefinition", resources);
        var ns = await k.OkAsync("get", "ns");
        Matches(@"^NAME\s+STATUS\s+AGE", ns);
        Matches(@"^default\s+Active\s", ns);
        Matches(@"^kube-public\s+Active\s", ns);
        Matches(@"^kube-system\s+Active\s", ns);
        var yaml = await k.OkAsync("get", "ns", "default", "-o", "yaml");
        Contains("kind: Namespace", yaml);
        Contains("uid:", yaml);
        Contains("resourceVersion:", yaml);
        Assert.DoesNotContain("managedFields", yaml);
        _ = minor;
    }

    private static async Task CreateAndApply(Kubectl k, string work)
    {
        Contains("namespace/demo created", await k.OkAsync("create", "-f", "ns.yaml"));
        var again = await k.RunAsync("create", "-f", "ns.yaml");
        Assert.Equal(1, again.Code);
        Contains("Error from server (AlreadyExists): error when creating \"ns.yaml\": namespaces \"demo\" already exists", again.Err);

        Contains("configmap/cm1 created", await k.OkAsync("apply", "-f", "cm.yaml"));
        Contains("configmap/cm1 unchanged", await k.OkAsync("apply", "-f", "cm.yaml"));
        File.WriteAllText(Path.Combine(work, "cm.yaml"), File.ReadAllText(Path.Combine(work, "cm.yaml")).Replace("b: \"2\"", "b: \"20\"", StringComparison.Ordinal));
        Contains("configmap/cm1 configured", await k.OkAsync("apply", "-f", "cm.yaml"));
        Assert.Equal("20", await k.OkAsync("get", "cm", "cm1", "-n", "demo", "-o", "jsonpath={.data.b}"));

        Contains("deployment.apps/web created", await k.OkAsync("apply", "-f", "dep.yaml"));
        var dep = File.ReadAllText(Path.Combine(work, "dep.yaml"));
        var sideAt = dep.IndexOf("      - name: side", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(work, "dep.yaml"), dep[..sideAt].Replace("nginx:1.25", "nginx:1.26", StringComparison.Ordinal));
        Contains("deployment.apps/web configured", await k.OkAsync("apply", "-f", "dep.yaml"));
        Assert.Equal("main nginx:1.26", await k.OkAsync("get", "deploy", "web", "-n", "demo", "-o", "jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[*].image}"));
        Assert.Equal("2", await k.OkAsync("get", "deploy", "web", "-n", "demo", "-o", "jsonpath={.metadata.generation}"));

        var bad = await k.RunAsync("create", "-f", "bad.yaml");
        Assert.Equal(1, bad.Code);
        Contains("The ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", bad.Err);

        // A stale resourceVersion loses the optimistic-concurrency race.
        var json = await k.OkAsync("get", "cm", "cm1", "-n", "demo", "-o", "json");
        await k.OkAsync("label", "cm", "cm1", "-n", "demo", "touched=yes");
        File.WriteAllText(Path.Combine(work, "stale.json"), json);
        var stale = await k.RunAsync("replace", "-f", "stale.json");
        Assert.Equal(1, stale.Code);
        Contains("Error from server (Conflict)", stale.Err);
        Contains("the object has been modified", stale.Err);
        await k.OkAsync("label", "cm", "cm1", "-n", "demo", "touched-");
    }

    private static async Task GetVariantsAndErrors(Kubectl k, string dataDir)
    {
        foreach (var n in new[] { "cm2", "cm3", "cm4" })
        {
            await CreateConfigMap(k, n, "default");
        }
        var all = await k.OkAsync("get", "cm", "-A", "--chunk-size=2");
        Matches(@"^NAMESPACE\s+NAME\s+DATA\s+AGE", all);
        foreach (var n in new[] { "cm1", "cm2", "cm3", "cm4" })
        {
            Matches($@"\s{n}\s+\d+\s", all);
        }
        Assert.Equal("configmap/cm1", (await k.OkAsync("get", "cm", "-n", "demo", "-l", "app in (web),!foo", "-o", "name")).Trim());
        Assert.DoesNotContain("cm1", await k.OkAsync("get", "cm", "-n", "demo", "-l", "app notin (web)", "-o", "name"));
        Matches(@"LABELS[\s\S]*app=web", await k.OkAsync("get", "cm", "-n", "demo", "--show-labels"));
        Matches(@"^NAME\s+DATA\s+AGE\s+APP\s*$[\s\S]*^cm1\s+2\s+\S+\s+web", await k.OkAsync("get", "cm", "-n", "demo", "-L", "app"));

        var wide = await k.OkAsync("get", "deploy", "-n", "demo", "-o", "wide");
        Matches(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR", wide);
        Matches(@"^web\s+0/2\s+0\s+0\s+\S+\s+main\s+nginx:1.26\s+app=web", wide);
        Contains("\"kind\": \"ConfigMap\"", await k.OkAsync("get", "cm", "cm1", "-n", "demo", "-o", "json"));
        Contains("name: cm1", await k.OkAsync("get", "cm", "cm1", "-n", "demo", "-o", "yaml"));

        var missing = await k.RunAsync("get", "cm", "nope", "-n", "demo");
        Assert.Equal(1, missing.Code);
        Contains("Error from server (NotFound): configmaps \"nope\" not found", missing.Err);
        var noNs = await k.RunAsync("get", "cm", "x", "-n", "nonexist");
        Contains("Error from server (NotFound): namespaces \"nonexist\" not found", noNs.Err);

        // A user who may only view namespace demo.
        var dev = ClusterUsers.Add(dataDir, "dev", "view", "demo");
        File.WriteAllText(Path.Combine(k.WorkDir, "dev-binding.json"), dev.Binding.ToJsonString());
        Contains("rolebinding.rbac.authorization.k8s.io/weir-user-dev-view created", await k.OkAsync("create", "-f", "dev-binding.json"));
        var asDev = k.As(dev.KubeconfigPath);
        Matches(@"^cm1\s", await asDev.OkAsync("get", "cm"));
        var forbidden = await asDev.RunAsync("get", "cm", "-n", "kube-system");
        Assert.Equal(1, forbidden.Code);
        Contains("Error from server (Forbidden): configmaps is forbidden: User \"dev\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"kube-system\"", forbidden.Err);
        var named = await asDev.RunAsync("delete", "cm", "cm1");
        Contains("Error from server (Forbidden): configmaps \"cm1\" is forbidden: User \"dev\" cannot delete resource \"configmaps\" in API group \"\" in the namespace \"demo\"", named.Err);

        File.WriteAllText(Path.Combine(k.WorkDir, "s1.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s1\n  namespace: demo\nstringData:\n  p: q\n");
        await k.OkAsync("create", "-f", "s1.yaml");
        Matches(@"^NAME\s+TYPE\s+DATA\s+AGE[\s\S]*^s1\s+Opaque\s+1\s", await k.OkAsync("get", "secrets", "-n", "demo"));
    }

    /// <summary>Typed create commands and `auth can-i`: JSON bodies up to 1.31, protobuf bodies from 1.32 on.</summary>
    private static async Task TypedCreate(Kubectl k)
    {
        Contains("namespace/typed created", await k.OkAsync("create", "namespace", "typed"));
        Contains("configmap/tc created", await k.OkAsync("create", "configmap", "tc", "-n", "typed", "--from-literal=k=v", "--from-literal=n=1"));
        Assert.Equal("v 1", await k.OkAsync("get", "cm", "tc", "-n", "typed", "-o", "jsonpath={.data.k} {.data.n}"));
        Contains("secret/ts created", await k.OkAsync("create", "secret", "generic", "ts", "-n", "typed", "--from-literal=password=hunter2"));
        Assert.Equal(Convert.ToBase64String("hunter2"u8.ToArray()), await k.OkAsync("get", "secret", "ts", "-n", "typed", "-o", "jsonpath={.data.password}"));
        Contains("serviceaccount/robot created", await k.OkAsync("create", "serviceaccount", "robot", "-n", "typed"));
        Contains("service/tsvc created", await k.OkAsync("create", "service", "clusterip", "tsvc", "-n", "typed", "--tcp=80:8080"));
        Assert.Equal("80 8080 ClusterIP", await k.OkAsync("get", "svc", "tsvc", "-n", "typed", "-o", "jsonpath={.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.type}"));
        Contains("deployment.apps/tdep created", await k.OkAsync("create", "deployment", "tdep", "-n", "typed", "--image=nginx:1.27", "--replicas=2", "--port=80"));
        Assert.Equal("2 nginx:1.27 80 tdep", await k.OkAsync("get", "deploy", "tdep", "-n", "typed", "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} {.spec.selector.matchLabels.app}"));
        Assert.Equal("yes", (await k.OkAsync("auth", "can-i", "create", "deployments", "-n", "typed")).Trim());
        var token = (await k.OkAsync("create", "token", "robot", "-n", "typed")).Trim();
        Assert.StartsWith("weirsa.", token, StringComparison.Ordinal);
        var asRobot = await k.RunAsync("--token", token, "auth", "can-i", "list", "pods", "-n", "typed");
        Assert.True(asRobot.Code == 1 && asRobot.Out.Trim() == "no", asRobot.ToString());
        Contains("namespace \"typed\" deleted", await k.OkAsync("delete", "ns", "typed", "--timeout=30s"));
    }

    private static async Task CrdsStatusWaitExplain(Kubectl k)
    {
        Contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created", await k.OkAsync("apply", "-f", "crd.yaml"));
        Contains("condition met", await k.OkAsync("wait", "--for", "condition=established", "crd/widgets.example.com", "--timeout=10s"));
        Contains("widget.example.com/w1 created", await k.OkAsync("apply", "-f", "w1.yaml"));
        var table = await k.OkAsync("get", "wd", "-n", "demo");
        Matches(@"^NAME\s+SIZE\s+READY\s+AGE\s*$", table);
        Matches(@"^w1\s+3\s+\S+s\s*$", table);
        Matches(@"^NAME\s+SIZE\s+READY\s+COLOR\s+AGE[\s\S]*^w1\s+3\s+red\s", await k.OkAsync("get", "widgets.example.com", "-n", "demo", "-o", "wide"));
        Contains("w1", await k.OkAsync("get", "widget", "-n", "demo"));
        Contains("widget.example.com/w1", await k.OkAsync("get", "all", "-n", "demo"));
        Assert.Equal("round", await k.OkAsync("get", "widget", "w1", "-n", "demo", "-o", "jsonpath={.spec.shape}"));

        File.WriteAllText(Path.Combine(k.WorkDir, "bogus.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: wb\n  namespace: demo\nspec:\n  size: 1\n  bogus: true\n");
        var strict = await k.RunAsync("create", "-f", "bogus.yaml");
        Assert.Equal(1, strict.Code);
        Contains("strict decoding error: unknown field \"spec.bogus\"", strict.Err);
        Contains("widget.example.com/wb created", await k.OkAsync("create", "-f", "bogus.yaml", "--validate=false"));
        Assert.Equal("", await k.OkAsync("get", "widget", "wb", "-n", "demo", "-o", "jsonpath={.spec.bogus}"));

        File.WriteAllText(Path.Combine(k.WorkDir, "badsize.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: wbad\n  namespace: demo\nspec:\n  size: -1\n  color: purple\n");
        var invalid = await k.RunAsync("create", "-f", "badsize.yaml");
        Assert.Equal(1, invalid.Code);
        Contains("The Widget \"wbad\" is invalid", invalid.Err);
        Contains("spec.size: Invalid value: -1", invalid.Err);
        Contains("spec.color: Unsupported value: \"purple\"", invalid.Err);

        var smp = await k.RunAsync("patch", "widget", "w1", "-n", "demo", "-p", "{\"spec\":{\"size\":4}}");
        Assert.Equal(1, smp.Code);
        Contains("strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget", smp.Err);
        Contains("widget.example.com/w1 patched", await k.OkAsync("patch", "widget", "w1", "-n", "demo", "--type=merge", "-p", "{\"spec\":{\"size\":4}}"));
        Assert.Equal("2", await k.OkAsync("get", "widget", "w1", "-n", "demo", "-o", "jsonpath={.metadata.generation}"));
        Contains("patched", await k.OkAsync("patch", "widget", "w1", "-n", "demo", "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/color\",\"value\":\"blue\"}]"));
        Assert.Equal("blue", await k.OkAsync("get", "widget", "w1", "-n", "demo", "-o", "jsonpath={.spec.color}"));

        // Another client sets Ready while `kubectl wait` watches.
        var setter = Task.Run(async () =>
        {
            await Task.Delay(1500);
            return await k.RunAsync("patch", "widget", "w1", "-n", "demo", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Done\",\"message\":\"ok\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}");
        });
        Contains("condition met", await k.OkAsync("wait", "--for=condition=Ready", "widget/w1", "-n", "demo", "--timeout=15s"));
        Assert.Equal(0, (await setter).Code);
        Matches(@"^w1\s+4\s+True\s", await k.OkAsync("get", "wd", "-n", "demo"));
        Assert.Equal("3", await k.OkAsync("get", "widget", "w1", "-n", "demo", "-o", "jsonpath={.metadata.generation}"));

        File.WriteAllText(Path.Combine(k.WorkDir, "w2.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w2\n  namespace: demo\nspec:\n  size: 1\n");
        await k.OkAsync("apply", "-f", "w2.yaml");
        var timeout = await k.RunAsync("wait", "--for=condition=Ready", "widget/w2", "-n", "demo", "--timeout=3s");
        Assert.Equal(1, timeout.Code);
        Contains("timed out waiting for the condition", timeout.Err);
        Contains("condition met", await k.OkAsync("wait", "--for=jsonpath={.spec.size}=4", "widget/w1", "-n", "demo", "--timeout=10s"));

        var explain = await k.OkAsync("explain", "widgets.spec");
        Contains("KIND:", explain);
        Contains("Widget", explain);
        Matches(@"size\s+<integer>", explain);
        Matches(@"color\s+<string>", explain);
        Contains("<map[string]string>", await k.OkAsync("explain", "configmap.data"));
    }

    private static async Task Watch(Kubectl k)
    {
        await CreateConfigMap(k, "wcm", "demo");
        using var table = k.Start("get", "cm", "wcm", "-n", "demo", "-w");
        using var events = k.Start("get", "cm", "-n", "demo", "-w", "--output-watch-events", "-o", "json");
        var tableOut = table.StandardOutput.ReadToEndAsync();
        var eventsOut = events.StandardOutput.ReadToEndAsync();
        await Task.Delay(1500);
        await k.OkAsync("label", "cm", "wcm", "-n", "demo", "tier=x");
        await k.OkAsync("delete", "cm", "wcm", "-n", "demo");
        await Task.Delay(1500);
        table.Kill();
        events.Kill();
        var rows = await tableOut;
        Assert.True(Regex.Matches(rows, @"^wcm\s", RegexOptions.Multiline).Count >= 3, rows);
        var json = await eventsOut;
        Matches("\"type\":\\s*\"MODIFIED\"", json);
        Matches("\"type\":\\s*\"DELETED\"", json);
    }

    private static async Task DescribeEventsScale(Kubectl k)
    {
        var uid = await k.OkAsync("get", "cm", "cm1", "-n", "demo", "-o", "jsonpath={.metadata.uid}");
        File.WriteAllText(Path.Combine(k.WorkDir, "event.json"),
            "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"metadata\":{\"name\":\"cm1.e1\",\"namespace\":\"demo\"}," +
            "\"involvedObject\":{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"cm1\",\"namespace\":\"demo\",\"uid\":\"" + uid + "\"}," +
            "\"reason\":\"Checked\",\"message\":\"looked at it\",\"type\":\"Normal\",\"count\":1,\"source\":{\"component\":\"tester\"}," +
            "\"firstTimestamp\":\"2026-01-01T00:00:00Z\",\"lastTimestamp\":\"2026-01-01T00:00:00Z\"}");
        await k.OkAsync("create", "-f", "event.json");
        var describe = await k.OkAsync("describe", "cm", "cm1", "-n", "demo");
        Matches(@"Events:[\s\S]*Normal\s+Checked\s+\S+\s+tester\s+looked at it", describe);
        Assert.Equal("event/cm1.e1", (await k.OkAsync("get", "events", "-n", "demo", "--field-selector", "involvedObject.kind=ConfigMap", "-o", "name")).Trim());
        Matches(@"^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE[\s\S]*Normal\s+Checked\s+configmap/cm1\s+looked at it", await k.OkAsync("get", "events", "-n", "demo"));

        Contains("deployment.apps/web scaled", await k.OkAsync("scale", "deploy", "web", "-n", "demo", "--replicas=3"));
        Assert.Equal("3", await k.OkAsync("get", "deploy", "web", "-n", "demo", "-o", "jsonpath={.spec.replicas}"));
    }

    private static async Task DeleteFinalizersGcNamespaces(Kubectl k)
    {
        Contains("configmap \"cm2\" deleted", await k.OkAsync("delete", "cm", "cm2", "-n", "default"));
        Contains("NotFound", (await k.RunAsync("get", "cm", "cm2", "-n", "default")).Err);
        Contains("configmap \"cm1\" deleted", await k.OkAsync("delete", "-f", "cm.yaml"));
        await CreateConfigMap(k, "l1", "default");
        await k.OkAsync("label", "cm", "l1", "-n", "default", "app=web");
        Contains("configmap \"l1\" deleted", await k.OkAsync("delete", "cm", "-n", "default", "-l", "app=web"));

        File.WriteAllText(Path.Combine(k.WorkDir, "held.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  namespace: default\n  finalizers: [example.com/hold]\n");
        await k.OkAsync("create", "-f", "held.yaml");
        var release = Task.Run(async () =>
        {
            await Task.Delay(2000);
            var marked = await k.OkAsync("get", "cm", "held", "-n", "default", "-o", "jsonpath={.metadata.deletionTimestamp}");
            await k.OkAsync("patch", "cm", "held", "-n", "default", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
            return marked;
        });
        Contains("configmap \"held\" deleted", await k.OkAsync("delete", "cm", "held", "-n", "default", "--timeout=20s"));
        Assert.NotEqual("", await release);

        File.WriteAllText(Path.Combine(k.WorkDir, "owner.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\n  namespace: default\n");
        await k.OkAsync("create", "-f", "owner.yaml");
        var ownerUid = await k.OkAsync("get", "cm", "owner", "-n", "default", "-o", "jsonpath={.metadata.uid}");
        foreach (var d in new[] { "dep1", "dep2" })
        {
            File.WriteAllText(Path.Combine(k.WorkDir, $"{d}.yaml"),
                $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {d}\n  namespace: default\n  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: owner\n    uid: {ownerUid}\n");
            await k.OkAsync("create", "-f", $"{d}.yaml");
        }
        await k.OkAsync("delete", "cm", "owner", "-n", "default", "--cascade=orphan");
        Assert.Equal("", await k.OkAsync("get", "cm", "dep1", "-n", "default", "-o", "jsonpath={.metadata.ownerReferences}"));

        Contains("namespace \"demo\" deleted", await k.OkAsync("delete", "ns", "demo", "--timeout=30s"));
        Contains("NotFound", (await k.RunAsync("get", "ns", "demo")).Err);
        Contains("No resources found", (await k.RunAsync("get", "widgets", "-A")).Output);
        Contains("customresourcedefinition.apiextensions.k8s.io \"widgets.example.com\" deleted", await k.OkAsync("delete", "crd", "widgets.example.com"));
    }

    private static async Task MultiDocumentApply(Kubectl k)
    {
        // kubectl maps every document before applying any, so the custom object of a CRD created by the same file
        // needs a second apply; the second run must create it at once.
        var first = await k.RunAsync("apply", "-f", "all.yaml");
        Contains("customresourcedefinition.apiextensions.k8s.io/gadgets.example.org created", first.Out);
        Contains("configmap/settings created", first.Out);
        var second = await k.RunAsync("apply", "-f", "all.yaml");
        Assert.True(second.Code == 0, second.ToString());
        Contains("gadget.example.org/g1 created", second.Out);
        Contains("namespace/multi unchanged", second.Out);
        Matches(@"^NAME\s+MODE\s*$[\s\S]*^g1\s+fast\s*$", await k.OkAsync("get", "gadgets", "-n", "multi"));
        Contains("customresourcedefinition.apiextensions.k8s.io \"gadgets.example.org\" deleted", await k.OkAsync("delete", "-f", "all.yaml", "--wait", "--ignore-not-found"));
        Contains("NotFound", (await k.RunAsync("get", "crd", "gadgets.example.org")).Err);
    }
}

// One class per binary so xunit runs them side by side (most of each scenario waits on kubectl processes).
public sealed class Kubectl127AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(27);
}

public sealed class Kubectl128AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(28);
}

public sealed class Kubectl129AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(29);
}

public sealed class Kubectl130AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(30);
}

public sealed class Kubectl131AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(31);
}

public sealed class Kubectl132AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(32);
}

public sealed class Kubectl133AcceptanceTests : KubectlAcceptanceTests
{
    [Fact]
    public Task Scenario() => RunScenarioAsync(33);
}
