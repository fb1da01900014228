using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests.Simulation;

/// <summary>
/// The Pods the simulator gives Deployments, StatefulSets and DaemonSets, through real kubectl: what get, describe,
/// wait, logs and rollout status show, rollouts within maxSurge/maxUnavailable, Endpoints from the pods, cascading
/// deletion, and the node they run on.
/// </summary>
public sealed class WorkloadPodTests(SimulatorFixture cluster) : IClassFixture<SimulatorFixture>
{
    private const string Alphabet = "[bcdfghjklmnpqrstvwxz2456789]";

    /// <summary>A Deployment (progress deadline 6000 s: 12 s here, room for a loaded machine) and a Service for it.</summary>
    private static string Deployment(string ns, string name, int replicas, string image, string strategy = "") =>
        SimulatorFixture.Deployment(ns, name, replicas, image, "progressDeadlineSeconds: 6000\n  " + strategy) + $"""

        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          selector:
            app: {name}
          ports:
          - port: 80
            targetPort: http
        """;

    private static string Sorted(string words) => string.Join(' ', words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    [Fact]
    public async Task DeploymentPodsShowWhatAKubeletReports()
    {
        var k = cluster.Kubectl();
        await cluster.ApplyAsync(k, "web.yaml", Deployment("pods-web", "web", 2, "nginx:1.25"));
        await k.OkAsync("rollout", "status", "deploy/web", "-n", "pods-web", "--timeout=30s");
        var waited = await k.OkAsync("wait", "--for=condition=Ready", "pod", "-l", "app=web", "-n", "pods-web", "--timeout=30s");
        Assert.Equal(2, Regex.Matches(waited, @"^pod/web-\S+ condition met$", RegexOptions.Multiline).Count);

        var rs = await k.OkAsync("get", "rs", "-n", "pods-web", "-o", "jsonpath={.items[0].metadata.name}");
        var hash = rs["web-".Length..];
        var wide = await k.OkAsync("get", "pods", "-n", "pods-web", "-o", "wide");
        SimulatorFixture.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\s*$", wide);
        Assert.Equal(2, Regex.Matches(wide, $@"^{rs}-{Alphabet}{{5}}\s+1/1\s+Running\s+0\s+\S+\s+10\.244\.\d+\.\d+\s+weir-node\s+<none>\s+<none>\s*$", RegexOptions.Multiline).Count);

        Assert.Equal(
            string.Concat(Enumerable.Repeat($"ReplicaSet/{rs} true true {hash} weir-node 172.18.0.2 BestEffort Running\n", 2)),
            await k.OkAsync("get", "pods", "-n", "pods-web", "-o",
                "jsonpath={range .items[*]}{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].controller} " +
                "{.metadata.ownerReferences[0].blockOwnerDeletion} {.metadata.labels.pod-template-hash} {.spec.nodeName} {.status.hostIP} {.status.qosClass} {.status.phase}{\"\\n\"}{end}"));
        var containers = await k.OkAsync("get", "pods", "-n", "pods-web", "-o",
            "jsonpath={range .items[*]}{.status.containerStatuses[0].name} {.status.containerStatuses[0].image} {.status.containerStatuses[0].ready} " +
            "{.status.containerStatuses[0].started} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].imageID} " +
            "{.status.containerStatuses[0].state.running.startedAt} {.status.startTime}{\"\\n\"}{end}");
        Assert.Equal(2, Regex.Matches(containers, @"^main docker\.io/library/nginx:1\.25 true true 0 docker\.io/library/nginx@sha256:[0-9a-f]{64} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \d{4}-\S+Z$", RegexOptions.Multiline).Count);
        Assert.Equal("PodReadyToStartContainers Initialized Ready ContainersReady PodScheduled True True True True True",
            await k.OkAsync("get", "pods", "-n", "pods-web", "-o", "jsonpath={.items[0].status.conditions[*].type} {.items[0].status.conditions[*].status}"));

        // The Endpoints list exactly the pods' IPs and point back at them.
        var podIps = await k.OkAsync("get", "pods", "-n", "pods-web", "-o", "jsonpath={.items[*].status.podIP}");
        Assert.Equal(Sorted(podIps), Sorted(await k.OkAsync("get", "endpoints", "web", "-n", "pods-web", "-o", "jsonpath={.subsets[0].addresses[*].ip}")));
        Assert.Equal(Sorted(await k.OkAsync("get", "pods", "-n", "pods-web", "-o", "jsonpath={.items[*].metadata.uid}")),
            Sorted(await k.OkAsync("get", "endpoints", "web", "-n", "pods-web", "-o", "jsonpath={.subsets[0].addresses[*].targetRef.uid}")));

        var pod = (await k.OkAsync("get", "pods", "-n", "pods-web", "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        var describe = await k.OkAsync("describe", "pod", pod, "-n", "pods-web");
        SimulatorFixture.Matches(@"^Node:\s+weir-node/172\.18\.0\.2$", describe);
        SimulatorFixture.Matches(@"^Status:\s+Running$", describe);
        SimulatorFixture.Matches($@"^Controlled By:\s+ReplicaSet/{rs}$", describe);
        SimulatorFixture.Matches(@"^\s+State:\s+Running$", describe);
        SimulatorFixture.Matches(@"^\s+Ready:\s+True$", describe);
        SimulatorFixture.Matches(@"^\s+PodReadyToStartContainers\s+True\s*$", describe);
        SimulatorFixture.Matches(@"^QoS Class:\s+BestEffort$", describe);
        Assert.Equal($"weir: no process runs in the embedded cluster; pod {pod} is simulated\n", await k.OkAsync("logs", pod, "-n", "pods-web"));
        SimulatorFixture.Matches(@"^weir: no process runs in the embedded cluster; pod web-\S+ is simulated$", await k.OkAsync("logs", "deploy/web", "-n", "pods-web"));
        Assert.Contains("container nope is not valid for pod", (await k.RunAsync("logs", pod, "-c", "nope", "-n", "pods-web")).Err, StringComparison.Ordinal);

        // Every installed kubectl prints, describes and reads them alike.
        foreach (var minor in Weir.Testing.Kubectl.Minors)
        {
            var other = cluster.Kubectl(minor);
            Assert.Equal(2, Regex.Matches(await other.OkAsync("get", "pods", "-n", "pods-web", "-o", "wide"), $@"^{rs}-\S+\s+1/1\s+Running\s+0\s+\S+\s+10\.244\.\S+\s+weir-node\s", RegexOptions.Multiline).Count);
            SimulatorFixture.Matches(@"^Node:\s+weir-node/172\.18\.0\.2$", await other.OkAsync("describe", "pod", pod, "-n", "pods-web"));
            Assert.Equal($"weir: no process runs in the embedded cluster; pod {pod} is simulated\n", await other.OkAsync("logs", pod, "-n", "pods-web"));
            SimulatorFixture.Matches(@"^weir-node\s+Ready\s+control-plane\s+\S+\s+v1\.37\.0\s*$", await other.OkAsync("get", "nodes"));
        }
        SimulatorFixture.Matches(@"^weir-node\s+Ready\s+control-plane\s+\S+\s+v1\.37\.0\s+172\.18\.0\.2\s+<none>\s", await k.OkAsync("get", "nodes", "-o", "wide"));
    }

    [Fact]
    public async Task RollingUpdatesReplacePodsWithinMaxSurgeAndDeletionTakesThem()
    {
        var k = cluster.Kubectl();
        await cluster.ApplyAsync(k, "roll.yaml", Deployment("pods-roll", "roll", 2, "nginx:1.25"));
        await k.OkAsync("rollout", "status", "deploy/roll", "-n", "pods-roll", "--timeout=30s");
        var oldRs = await k.OkAsync("get", "rs", "-n", "pods-roll", "-o", "jsonpath={.items[0].metadata.name}");
        var oldPods = await k.OkAsync("get", "pods", "-n", "pods-roll", "-o", "jsonpath={.items[*].metadata.name}");

        await cluster.ApplyAsync(k, "roll.yaml", Deployment("pods-roll", "roll", 2, "nginx:1.26"));
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "deploy/roll", "-n", "pods-roll", "--timeout=30s"), StringComparison.Ordinal);
        var newRs = await k.OkAsync("get", "deploy", "roll", "-n", "pods-roll", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].message}");
        newRs = Regex.Match(newRs, "\"(.+)\"").Groups[1].Value;
        Assert.NotEqual(oldRs, newRs);
        var pods = await SimulatorFixture.EventuallyAsync(k, $@"\A({newRs}-\S+ ?){{2}}\z", "get", "pods", "-n", "pods-roll", "-o", "jsonpath={.items[*].metadata.name}");
        Assert.DoesNotContain(pods.Split(' '), oldPods.Split(' ').Contains);
        Assert.Equal(Sorted(await k.OkAsync("get", "pods", "-n", "pods-roll", "-o", "jsonpath={.items[*].status.podIP}")),
            Sorted(await SimulatorFixture.EventuallyAsync(k, @"\S", "get", "endpoints", "roll", "-n", "pods-roll", "-o", "jsonpath={.subsets[0].addresses[*].ip}")));

        // maxSurge 1 (25% of 2, rounded up) and maxUnavailable 0: one new pod at a time, an old one going once it is ready.
        var scaling = await k.OkAsync("get", "events", "-n", "pods-roll", "--field-selector", "reason=ScalingReplicaSet", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        Assert.Equal(
            $"Scaled up replica set {oldRs} to 2 from 0\nScaled up replica set {newRs} to 1 from 0\nScaled down replica set {oldRs} to 1 from 2\n" +
            $"Scaled up replica set {newRs} to 2 from 1\nScaled down replica set {oldRs} to 0 from 1\n",
            scaling);

        await k.OkAsync("scale", "deploy", "roll", "-n", "pods-roll", "--replicas=1");
        await SimulatorFixture.EventuallyAsync(k, @"\A\S+\z", "get", "pods", "-n", "pods-roll", "-o", "jsonpath={.items[*].metadata.name}");
        await SimulatorFixture.EventuallyAsync(k, @"\A10\.244\.\d+\.\d+\z", "get", "endpoints", "roll", "-n", "pods-roll", "-o", "jsonpath={.subsets[0].addresses[*].ip}");

        // Deleting the Deployment takes its ReplicaSets and their pods (ownerReference garbage collection).
        await k.OkAsync("delete", "deploy", "roll", "-n", "pods-roll");
        await SimulatorFixture.EventuallyAsync(k, "No resources found", "get", "pods", "-n", "pods-roll");
        await SimulatorFixture.EventuallyAsync(k, @"^roll\s+<none>\s", "get", "endpoints", "-n", "pods-roll");
    }

    [Fact]
    public async Task RecreateRemovesTheOldPodsBeforeTheNewOnes()
    {
        var k = cluster.Kubectl();
        const string recreate = "strategy: {type: Recreate}";
        await cluster.ApplyAsync(k, "recreate.yaml", Deployment("pods-recreate", "rec", 2, "nginx:1.25", recreate));
        await k.OkAsync("rollout", "status", "deploy/rec", "-n", "pods-recreate", "--timeout=30s");
        await cluster.ApplyAsync(k, "recreate.yaml", Deployment("pods-recreate", "rec", 2, "nginx:1.26", recreate));
        await k.OkAsync("rollout", "status", "deploy/rec", "-n", "pods-recreate", "--timeout=30s");
        var scaling = await k.OkAsync("get", "events", "-n", "pods-recreate", "--field-selector", "reason=ScalingReplicaSet", "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        SimulatorFixture.Matches(@"\AScaled up replica set (rec-\S+) to 2 from 0\nScaled down replica set \1 to 0 from 2\nScaled up replica set rec-\S+ to 2 from 0\n\z", scaling);
        SimulatorFixture.Matches(@"\A(docker\.io/library/nginx:1\.26 ?){2}\z", await SimulatorFixture.EventuallyAsync(k, @"\A(\S+ ?){2}\z",
            "get", "pods", "-n", "pods-recreate", "-o", "jsonpath={.items[*].status.containerStatuses[0].image}"));
    }

    [Fact]
    public async Task StatefulSetAndDaemonSetPods()
    {
        var k = cluster.Kubectl();
        string Manifest(string image) => $$"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: pods-sts
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: pods-sts
            spec:
              serviceName: db
              replicas: 2
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                  - name: db
                    image: {{image}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: agent
              namespace: pods-sts
            spec:
              selector:
                matchLabels: {app: agent}
              template:
                metadata:
                  labels: {app: agent}
                spec:
                  containers:
                  - name: agent
                    image: {{image}}
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: elsewhere
              namespace: pods-sts
            spec:
              selector:
                matchLabels: {app: elsewhere}
              template:
                metadata:
                  labels: {app: elsewhere}
                spec:
                  nodeSelector: {disk: ssd}
                  containers:
                  - name: agent
                    image: {{image}}
            """;
        await cluster.ApplyAsync(k, "sts.yaml", Manifest("postgres:16"));
        Assert.Contains("2 new pods have been updated", await k.OkAsync("rollout", "status", "sts/db", "-n", "pods-sts", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"^db\s+2/2\s", await k.OkAsync("get", "sts", "db", "-n", "pods-sts"));
        Assert.Equal("1 2 2 2", await k.OkAsync("get", "sts", "db", "-n", "pods-sts", "-o", "jsonpath={.status.observedGeneration} {.status.readyReplicas} {.status.currentReplicas} {.status.updatedReplicas}"));
        var revision = await k.OkAsync("get", "sts", "db", "-n", "pods-sts", "-o", "jsonpath={.status.updateRevision}");
        Assert.Equal(revision, await k.OkAsync("get", "sts", "db", "-n", "pods-sts", "-o", "jsonpath={.status.currentRevision}"));
        Assert.Equal($"db-0 db-0 {revision} 0 db-0 db StatefulSet/db\ndb-1 db-1 {revision} 1 db-1 db StatefulSet/db\n",
            await k.OkAsync("get", "pods", "-n", "pods-sts", "-l", "app=db", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels.statefulset\\.kubernetes\\.io/pod-name} {.metadata.labels.controller-revision-hash} " +
                "{.metadata.labels.apps\\.kubernetes\\.io/pod-index} {.spec.hostname} {.spec.subdomain} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{\"\\n\"}{end}"));

        Assert.Contains("daemon set \"agent\" successfully rolled out", await k.OkAsync("rollout", "status", "ds/agent", "-n", "pods-sts", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"^agent\s+1\s+1\s+1\s+1\s+1\s", await k.OkAsync("get", "ds", "agent", "-n", "pods-sts"));
        var agent = await k.OkAsync("get", "pods", "-n", "pods-sts", "-l", "app=agent", "-o",
            "jsonpath={range .items[*]}{.metadata.name} {.spec.nodeName} {.metadata.labels.pod-template-generation} {.metadata.ownerReferences[0].kind} {.status.phase}{\"\\n\"}{end}");
        SimulatorFixture.Matches($@"\Aagent-{Alphabet}{{5}} weir-node 1 DaemonSet Running\n\z", agent);
        SimulatorFixture.Matches(@"^elsewhere\s+0\s+0\s+0\s+0\s+0\s+disk=ssd\s", await k.OkAsync("get", "ds", "elsewhere", "-n", "pods-sts"));

        // A new template: the StatefulSet replaces its pods from the highest ordinal down, the DaemonSet its one pod.
        await cluster.ApplyAsync(k, "sts.yaml", Manifest("postgres:17"));
        Assert.Contains("2 new pods have been updated", await k.OkAsync("rollout", "status", "sts/db", "-n", "pods-sts", "--timeout=30s"), StringComparison.Ordinal);
        var updated = await k.OkAsync("get", "sts", "db", "-n", "pods-sts", "-o", "jsonpath={.status.updateRevision}");
        Assert.NotEqual(revision, updated);
        await SimulatorFixture.EventuallyAsync(k, $@"\A{updated} {updated}\z", "get", "pods", "-n", "pods-sts", "-l", "app=db", "-o", "jsonpath={.items[*].metadata.labels.controller-revision-hash}");
        Assert.Equal(updated, await k.OkAsync("get", "sts", "db", "-n", "pods-sts", "-o", "jsonpath={.status.currentRevision}"));
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "ds/agent", "-n", "pods-sts", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"\A\S+ docker\.io/library/postgres:17\z", await SimulatorFixture.EventuallyAsync(k, @"\A\S+ \S+:17\z",
            "get", "pods", "-n", "pods-sts", "-l", "app=agent", "-o", "jsonpath={.items[*].metadata.name} {.items[*].status.containerStatuses[0].image}"));

        await k.OkAsync("scale", "sts", "db", "-n", "pods-sts", "--replicas=1");
        await SimulatorFixture.EventuallyAsync(k, @"\Adb-0\z", "get", "pods", "-n", "pods-sts", "-l", "app=db", "-o", "jsonpath={.items[*].metadata.name}");
    }
}
