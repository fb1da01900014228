using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests.Simulation;

/// <summary>The workload simulator through real kubectl: what users look at (get, rollout status, wait, events).</summary>
public sealed class WorkloadSimulatorTests(SimulatorFixture cluster) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task DeploymentRollsOutAndScales()
    {
        var k = cluster.Kubectl();
        await cluster.ApplyAsync(k, "web.yaml", SimulatorFixture.Deployment("sim-web", "web", 2, "nginx:1.25"));
        Assert.Contains("deployment \"web\" successfully rolled out", await k.OkAsync("rollout", "status", "deploy/web", "-n", "sim-web", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"^web\s+2/2\s+2\s+2\s+\S+\s*$", await k.OkAsync("get", "deploy", "web", "-n", "sim-web"));
        Assert.Equal("1 1 2 2 2 True/MinimumReplicasAvailable True/NewReplicaSetAvailable",
            await k.OkAsync("get", "deploy", "web", "-n", "sim-web", "-o",
                "jsonpath={.metadata.generation} {.status.observedGeneration} {.status.replicas} {.status.updatedReplicas} {.status.availableReplicas} " +
                "{.status.conditions[?(@.type==\"Available\")].status}/{.status.conditions[?(@.type==\"Available\")].reason} " +
                "{.status.conditions[?(@.type==\"Progressing\")].status}/{.status.conditions[?(@.type==\"Progressing\")].reason}"));
        var rs = await k.OkAsync("get", "rs", "-n", "sim-web", "-o", "jsonpath={.items[*].metadata.name}");
        SimulatorFixture.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$", rs);
        Assert.Equal($"ReplicaSet \"{rs}\" has successfully progressed.",
            await k.OkAsync("get", "deploy", "web", "-n", "sim-web", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].message}"));
        Assert.Equal("Deployment web", await k.OkAsync("get", "rs", rs, "-n", "sim-web", "-o", "jsonpath={.metadata.ownerReferences[0].kind} {.metadata.ownerReferences[0].name}"));
        SimulatorFixture.Matches(@"Scaled up replica set web-\S+ to 2", await k.OkAsync("describe", "deploy", "web", "-n", "sim-web"));

        // A new template is a new rollout: a second ReplicaSet takes over and the first is scaled to zero.
        await cluster.ApplyAsync(k, "web.yaml", SimulatorFixture.Deployment("sim-web", "web", 2, "nginx:1.26"));
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "deploy/web", "-n", "sim-web", "--timeout=30s"), StringComparison.Ordinal);
        Assert.Equal("2 2", await k.OkAsync("get", "deploy", "web", "-n", "sim-web", "-o", "jsonpath={.metadata.generation} {.status.observedGeneration}"));
        var sets = await SimulatorFixture.EventuallyAsync(k, @"^web-\S+\s+0\s+0\s+0\s", "get", "rs", "-n", "sim-web");
        SimulatorFixture.Matches(@"^web-\S+\s+2\s+2\s+2\s", sets);
        Assert.Contains("2", await k.OkAsync("rollout", "history", "deploy/web", "-n", "sim-web"), StringComparison.Ordinal);

        // Scaling to zero is a finished, available rollout with no replicas.
        await k.OkAsync("scale", "deploy", "web", "-n", "sim-web", "--replicas=0");
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "deploy/web", "-n", "sim-web", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"^web\s+0/0\s+0\s+0\s", await SimulatorFixture.EventuallyAsync(k, @"^web\s+0/0\s+0\s+0\s", "get", "deploy", "web", "-n", "sim-web"));
        Assert.Equal("True", await k.OkAsync("get", "deploy", "web", "-n", "sim-web", "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}"));
    }

    [Fact]
    public async Task BrokenImageExceedsTheProgressDeadlineUntilFixed()
    {
        var k = cluster.Kubectl();
        const string image = "ghcr.io/acme/app:v1.2.0-broken";
        await cluster.ApplyAsync(k, "bad.yaml", SimulatorFixture.Deployment("sim-bad", "bad", 2, image));
        var rollout = await k.RunAsync("rollout", "status", "deploy/bad", "-n", "sim-bad", "--timeout=30s");
        Assert.NotEqual(0, rollout.Code);
        Assert.Contains("error: deployment \"bad\" exceeded its progress deadline", rollout.Err, StringComparison.Ordinal);
        var rs = await k.OkAsync("get", "rs", "-n", "sim-bad", "-o", "jsonpath={.items[0].metadata.name}");
        Assert.Equal($"False ProgressDeadlineExceeded ReplicaSet \"{rs}\" has timed out progressing. False 2",
            await k.OkAsync("get", "deploy", "bad", "-n", "sim-bad", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].status} {.status.conditions[?(@.type==\"Progressing\")].reason} " +
                "{.status.conditions[?(@.type==\"Progressing\")].message} {.status.conditions[?(@.type==\"Available\")].status} {.status.unavailableReplicas}"));
        SimulatorFixture.Matches(@"^bad\s+0/2\s+2\s+0\s", await k.OkAsync("get", "deploy", "bad", "-n", "sim-bad"));

        var events = await SimulatorFixture.EventuallyAsync(k, "ImagePullBackOff", "get", "events", "-n", "sim-bad");
        SimulatorFixture.Matches($@"Warning\s+Failed\s+pod/{rs}-[a-z0-9]{{5}}\s+Failed to pull image ""{Regex.Escape(image)}"": rpc error: code = NotFound", events);
        SimulatorFixture.Matches($@"Normal\s+BackOff\s+pod/{rs}-[a-z0-9]{{5}}\s+Back-off pulling image ""{Regex.Escape(image)}""", events);
        SimulatorFixture.Matches(@"Warning\s+Failed\s+pod/\S+\s+Error: ErrImagePull", events);
        var warnings = await k.OkAsync("get", "events", "-n", "sim-bad", "--field-selector", "type=Warning", "-o", "jsonpath={.items[*].reason}");
        Assert.All(warnings.Split(' '), r => Assert.Equal("Failed", r));

        // Fixing the image rolls out a healthy ReplicaSet.
        await cluster.ApplyAsync(k, "bad.yaml", SimulatorFixture.Deployment("sim-bad", "bad", 2, "ghcr.io/acme/app:v1.2.1"));
        Assert.Contains("successfully rolled out", await k.OkAsync("rollout", "status", "deploy/bad", "-n", "sim-bad", "--timeout=30s"), StringComparison.Ordinal);
        Assert.Equal("True NewReplicaSetAvailable True",
            await k.OkAsync("get", "deploy", "bad", "-n", "sim-bad", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Progressing\")].status} {.status.conditions[?(@.type==\"Progressing\")].reason} {.status.conditions[?(@.type==\"Available\")].status}"));
    }

    [Fact]
    public async Task JobCompletesAndClaimBinds()
    {
        var k = cluster.Kubectl();
        await cluster.ApplyAsync(k, "misc.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: sim-misc
            ---
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              namespace: sim-misc
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: migrate
                    image: busybox:1.36
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: data
              namespace: sim-misc
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 1Gi
            """);
        Assert.Contains("job.batch/migrate condition met", await k.OkAsync("wait", "--for=condition=complete", "job/migrate", "-n", "sim-misc", "--timeout=30s"), StringComparison.Ordinal);
        SimulatorFixture.Matches(@"^migrate\s+(Complete\s+)?1/1\s", await k.OkAsync("get", "job", "migrate", "-n", "sim-misc"));
        Assert.NotEqual("", await k.OkAsync("get", "job", "migrate", "-n", "sim-misc", "-o", "jsonpath={.status.completionTime}"));

        await k.OkAsync("wait", "--for=jsonpath={.status.phase}=Bound", "pvc/data", "-n", "sim-misc", "--timeout=30s");
        SimulatorFixture.Matches(@"^data\s+Bound\s+pvc-[0-9a-f-]{36}\s+1Gi\s+RWO\s", await k.OkAsync("get", "pvc", "data", "-n", "sim-misc"));
    }

    [Fact]
    public async Task ServicesGetEndpointsOfReadyPods()
    {
        var k = cluster.Kubectl();
        await cluster.ApplyAsync(k, "svc.yaml", SimulatorFixture.Deployment("sim-svc", "api", 2, "nginx:1.25") + """

            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: api
              namespace: sim-svc
            spec:
              selector:
                app: api
              ports:
              - name: web
                port: 80
                targetPort: http
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: nobody
              namespace: sim-svc
            spec:
              selector:
                app: none
              ports:
              - port: 80
            """);
        var endpoints = await SimulatorFixture.EventuallyAsync(k, @"^api\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\s", "get", "endpoints", "-n", "sim-svc");
        SimulatorFixture.Matches(@"^nobody\s+<none>\s", endpoints);
        Assert.Equal("web 8080 TCP Pod", await k.OkAsync("get", "endpoints", "api", "-n", "sim-svc", "-o",
            "jsonpath={.subsets[0].ports[0].name} {.subsets[0].ports[0].port} {.subsets[0].ports[0].protocol} {.subsets[0].addresses[0].targetRef.kind}"));
        await k.OkAsync("delete", "svc", "api", "-n", "sim-svc");
        await SimulatorFixture.EventuallyAsync(k, "NotFound", "get", "endpoints", "api", "-n", "sim-svc");
    }
}
