namespace Weir.Cluster.Tests.Simulation;

/// <summary>Finalizers and ownerReference garbage collection through real kubectl: <c>kubectl delete --cascade=background|foreground|orphan</c>.</summary>
public sealed class GarbageCollectionTests(SimulatorFixture cluster) : IClassFixture<SimulatorFixture>
{
    private static string ConfigMap(string ns, string name, string? ownerUid = null, string ownerName = "owner", bool block = false, string? finalizer = null)
    {
        var yaml = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\n";
        if (finalizer is not null)
        {
            yaml += $"  finalizers: [{finalizer}]\n";
        }
        if (ownerUid is not null)
        {
            yaml += $"  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: {ownerName}\n    uid: {ownerUid}\n    blockOwnerDeletion: {(block ? "true" : "false")}\n";
        }
        return yaml;
    }

    /// <summary>Applies a Deployment and waits for its simulated ReplicaSet; returns the ReplicaSet's name.</summary>
    private async Task<string> DeploymentWithReplicaSet(Kubectl k, string ns, string name)
    {
        await cluster.ApplyAsync(k, $"{ns}-{name}.yaml", SimulatorFixture.Deployment(ns, name, 1, "nginx:1.25"));
        await k.OkAsync("rollout", "status", $"deploy/{name}", "-n", ns, "--timeout=30s");
        return await k.OkAsync("get", "rs", "-n", ns, "-l", $"app={name}", "-o", "jsonpath={.items[0].metadata.name}");
    }

    [Fact]
    public async Task BackgroundDeletesTheOwnerAtOnceThenItsDependents()
    {
        var k = cluster.Kubectl();
        var rs = await DeploymentWithReplicaSet(k, "gc-bg", "web");
        Assert.Contains("deployment.apps \"web\" deleted", await k.OkAsync("delete", "deploy", "web", "-n", "gc-bg", "--cascade=background"), StringComparison.Ordinal);
        Assert.Contains("NotFound", (await k.RunAsync("get", "deploy", "web", "-n", "gc-bg")).Err, StringComparison.Ordinal);
        await SimulatorFixture.EventuallyAsync(k, "NotFound", "get", "rs", rs, "-n", "gc-bg");
    }

    [Fact]
    public async Task ForegroundWaitsForBlockingDependents()
    {
        var k = cluster.Kubectl();
        var rs = await DeploymentWithReplicaSet(k, "gc-fg", "web");
        Assert.Contains("deployment.apps \"web\" deleted", await k.OkAsync("delete", "deploy", "web", "-n", "gc-fg", "--cascade=foreground", "--timeout=30s"), StringComparison.Ordinal);
        Assert.Contains("NotFound", (await k.RunAsync("get", "rs", rs, "-n", "gc-fg")).Err, StringComparison.Ordinal);
        Assert.Contains("NotFound", (await k.RunAsync("get", "deploy", "web", "-n", "gc-fg")).Err, StringComparison.Ordinal);

        // A blocking dependent held by its own finalizer keeps the owner in foreground deletion until it goes.
        await cluster.ApplyAsync(k, "fg-owner.yaml", ConfigMap("gc-fg", "owner"));
        var uid = await k.OkAsync("get", "cm", "owner", "-n", "gc-fg", "-o", "jsonpath={.metadata.uid}");
        await cluster.ApplyAsync(k, "fg-child.yaml", ConfigMap("gc-fg", "child", uid, block: true, finalizer: "example.com/hold"));
        await cluster.ApplyAsync(k, "fg-loose.yaml", ConfigMap("gc-fg", "loose", uid));
        await k.OkAsync("delete", "cm", "owner", "-n", "gc-fg", "--cascade=foreground", "--wait=false");
        Assert.Equal("foregroundDeletion true", await k.OkAsync("get", "cm", "owner", "-n", "gc-fg", "-o", "jsonpath={.metadata.finalizers[*]} {.metadata.deletionTimestamp}")
            .ContinueWith(t => System.Text.RegularExpressions.Regex.Replace(t.Result, @"\d{4}-\d\d-\d\dT\S+Z$", "true"), TaskScheduler.Default));
        Assert.NotEqual("", await k.OkAsync("get", "cm", "child", "-n", "gc-fg", "-o", "jsonpath={.metadata.deletionTimestamp}"));
        Assert.Contains("NotFound", (await k.RunAsync("get", "cm", "loose", "-n", "gc-fg")).Err, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal(0, (await k.RunAsync("get", "cm", "owner", "-n", "gc-fg")).Code);

        await k.OkAsync("patch", "cm", "child", "-n", "gc-fg", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        await SimulatorFixture.EventuallyAsync(k, "NotFound", "get", "cm", "owner", "-n", "gc-fg");
        Assert.Contains("NotFound", (await k.RunAsync("get", "cm", "child", "-n", "gc-fg")).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrphanKeepsDependentsWithoutTheirOwnerReference()
    {
        var k = cluster.Kubectl();
        var rs = await DeploymentWithReplicaSet(k, "gc-orphan", "web");
        Assert.Contains("deployment.apps \"web\" deleted", await k.OkAsync("delete", "deploy", "web", "-n", "gc-orphan", "--cascade=orphan"), StringComparison.Ordinal);
        Assert.Contains("NotFound", (await k.RunAsync("get", "deploy", "web", "-n", "gc-orphan")).Err, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Equal("", await k.OkAsync("get", "rs", rs, "-n", "gc-orphan", "-o", "jsonpath={.metadata.ownerReferences}"));
    }

    [Fact]
    public async Task FinalizersHoldObjectsAndTheirDependents()
    {
        var k = cluster.Kubectl();
        await k.OkAsync("create", "namespace", "gc-fin");
        await cluster.ApplyAsync(k, "held.yaml", ConfigMap("gc-fin", "held", finalizer: "example.com/hold"));
        var uid = await k.OkAsync("get", "cm", "held", "-n", "gc-fin", "-o", "jsonpath={.metadata.uid}");
        await cluster.ApplyAsync(k, "held-child.yaml", ConfigMap("gc-fin", "held-child", uid, ownerName: "held"));
        await k.OkAsync("delete", "cm", "held", "-n", "gc-fin", "--wait=false");
        await Task.Delay(500);
        Assert.NotEqual("", await k.OkAsync("get", "cm", "held", "-n", "gc-fin", "-o", "jsonpath={.metadata.deletionTimestamp}"));
        Assert.Equal(0, (await k.RunAsync("get", "cm", "held-child", "-n", "gc-fin")).Code);
        await k.OkAsync("patch", "cm", "held", "-n", "gc-fin", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        Assert.Contains("NotFound", (await k.RunAsync("get", "cm", "held", "-n", "gc-fin")).Err, StringComparison.Ordinal);
        await SimulatorFixture.EventuallyAsync(k, "NotFound", "get", "cm", "held-child", "-n", "gc-fin");
    }

    [Fact]
    public async Task ObjectsCreatedForAMissingOwnerAreCollected()
    {
        var k = cluster.Kubectl();
        await k.OkAsync("create", "namespace", "gc-dangling");
        await cluster.ApplyAsync(k, "ghost-child.yaml", ConfigMap("gc-dangling", "ghost-child", "6b1f6e0e-1111-4222-8333-944445555666", ownerName: "ghost"));
        await SimulatorFixture.EventuallyAsync(k, "NotFound", "get", "cm", "ghost-child", "-n", "gc-dangling");
    }
}
