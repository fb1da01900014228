using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests.Simulation;

/// <summary>
/// Bare Pods and Jobs through real kubectl: long-running pods become Ready, pods that run to completion succeed, the
/// exit convention (<c>exit N</c>, an image tag ending in <c>-fail</c>) makes them fail or crash-loop, broken images
/// wait in ErrImagePull/ImagePullBackOff, and Jobs complete or fail at their backoff limit.
/// </summary>
public sealed class PodLifecycleTests(SimulatorFixture cluster) : IClassFixture<SimulatorFixture>
{
    private static string Pod(string ns, string name, string image, string restartPolicy = "Always", string command = "", string init = "") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          restartPolicy: {restartPolicy}
          {init}
          containers:
          - name: main
            image: {image}
            {command}
        """;

    private static string Job(string ns, string name, string image, string restartPolicy, int backoffLimit, string command = "") => $"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          backoffLimit: {backoffLimit}
          template:
            spec:
              restartPolicy: {restartPolicy}
              containers:
              - name: main
                image: {image}
                {command}
        """;

    private static async Task<string> Namespace(Kubectl k, string ns)
    {
        await k.OkAsync("create", "namespace", ns);
        return ns;
    }

    [Fact]
    public async Task BarePodsRunOrRunToCompletion()
    {
        var k = cluster.Kubectl();
        var ns = await Namespace(k, "bare");
        await cluster.ApplyAsync(k, "bare.yaml", string.Join("\n---\n",
            Pod(ns, "server", "nginx:1.25"),
            Pod(ns, "check", "busybox:1.36", "Never", "command: [wget, -q, http://server]"),
            Pod(ns, "exit3", "busybox:1.36", "Never", "command: [sh, -c, exit 3]"),
            Pod(ns, "crash", "busybox:1.36-fail")));

        // A pod that was just created is waited for, as on any cluster.
        Assert.Equal("pod/server condition met\n", await k.OkAsync("wait", "--for=condition=Ready", "pod/server", "-n", ns, "--timeout=30s"));
        Assert.Equal("Running weir-node true", await k.OkAsync("get", "pod", "server", "-n", ns, "-o", "jsonpath={.status.phase} {.spec.nodeName} {.status.containerStatuses[0].ready}"));

        // restartPolicy Never: the container exits 0 and the pod succeeds (a Helm test hook passes).
        await k.OkAsync("wait", "--for=jsonpath={.status.phase}=Succeeded", "pod/check", "-n", ns, "--timeout=30s");
        SimulatorFixture.Matches(@"^check\s+0/1\s+Completed\s+0\s", await k.OkAsync("get", "pod", "check", "-n", ns));
        Assert.Equal("0 Completed False PodCompleted",
            await k.OkAsync("get", "pod", "check", "-n", ns, "-o",
                "jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason} " +
                "{.status.conditions[?(@.type==\"Ready\")].status} {.status.conditions[?(@.type==\"Ready\")].reason}"));

        // `exit 3`: the pod fails with the container's code.
        await k.OkAsync("wait", "--for=jsonpath={.status.phase}=Failed", "pod/exit3", "-n", ns, "--timeout=30s");
        SimulatorFixture.Matches(@"^exit3\s+0/1\s+Error\s+0\s", await k.OkAsync("get", "pod", "exit3", "-n", ns));
        Assert.Equal("3 Error PodFailed", await k.OkAsync("get", "pod", "exit3", "-n", ns, "-o",
            "jsonpath={.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason} {.status.conditions[?(@.type==\"Ready\")].reason}"));
        Assert.Equal("weir: no process runs in the embedded cluster; pod exit3 is simulated\n", await k.OkAsync("logs", "exit3", "-n", ns));

        // `-fail` with restartPolicy Always: the kubelet restarts it and backs off.
        var crash = await SimulatorFixture.EventuallyAsync(k, @"^crash\s+0/1\s+CrashLoopBackOff\s+[1-9]\d* \(\d+s ago\)\s", "get", "pod", "crash", "-n", ns);
        SimulatorFixture.Matches(@"^crash\s+0/1\s+CrashLoopBackOff", crash);
        SimulatorFixture.Matches(@"\A1 Error back-off \S+ restarting failed container=main pod=crash_bare\([0-9a-f-]{36}\) Running false\z",
            await k.OkAsync("get", "pod", "crash", "-n", ns, "-o",
                "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason} " +
                "{.status.containerStatuses[0].state.waiting.message} {.status.phase} {.status.containerStatuses[0].ready}"));
        SimulatorFixture.Matches(@"Warning\s+BackOff\s+pod/crash\s+Back-off restarting failed container main in pod crash_bare", await k.OkAsync("get", "events", "-n", ns));
        Assert.Equal("weir: no process runs in the embedded cluster; pod crash is simulated\n", await k.OkAsync("logs", "crash", "--previous", "-n", ns));
        Assert.Contains("previous terminated container \"main\" in pod \"server\" not found", (await k.RunAsync("logs", "server", "--previous", "-n", ns)).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokenImagesWaitWithTheKubeletsMessages()
    {
        var k = cluster.Kubectl();
        var ns = await Namespace(k, "pull");
        const string image = "ghcr.io/acme/app:v2-broken";
        await cluster.ApplyAsync(k, "pull.yaml", string.Join("\n---\n",
            Pod(ns, "broken", image),
            Pod(ns, "init-broken", "nginx:1.25", init: "initContainers: [{name: setup, image: busybox:broken}]")));

        SimulatorFixture.Matches(@"^broken\s+0/1\s+ImagePullBackOff\s+0\s", await SimulatorFixture.EventuallyAsync(k, "ImagePullBackOff", "get", "pod", "broken", "-n", ns));
        var failed = await SimulatorFixture.EventuallyAsync(k, "ErrImagePull", "get", "events", "-n", ns, "--field-selector", "involvedObject.name=broken,reason=Failed",
            "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");
        var pullError = Regex.Match(failed, $@"^Failed to pull image ""{Regex.Escape(image)}"": (rpc error: .+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.StartsWith("rpc error: code = NotFound desc = failed to pull and unpack image \"ghcr.io/acme/app:v2-broken\"", pullError, StringComparison.Ordinal);
        Assert.Equal($"ImagePullBackOff Back-off pulling image \"{image}\": ErrImagePull: {pullError} Pending false",
            await k.OkAsync("get", "pod", "broken", "-n", ns, "-o",
                "jsonpath={.status.containerStatuses[0].state.waiting.reason} {.status.containerStatuses[0].state.waiting.message} {.status.phase} {.status.containerStatuses[0].started}"));
        Assert.Contains("container \"main\" in pod \"broken\" is waiting to start: trying and failing to pull image",
            (await k.RunAsync("logs", "broken", "-n", ns)).Err, StringComparison.Ordinal);

        SimulatorFixture.Matches(@"^init-broken\s+0/1\s+Init:ImagePullBackOff\s+0\s", await SimulatorFixture.EventuallyAsync(k, "Init:ImagePullBackOff", "get", "pod", "init-broken", "-n", ns));
        Assert.Equal("PodInitializing False ContainersNotInitialized containers with incomplete status: [setup]",
            await k.OkAsync("get", "pod", "init-broken", "-n", ns, "-o",
                "jsonpath={.status.containerStatuses[0].state.waiting.reason} {.status.conditions[?(@.type==\"Initialized\")].status} " +
                "{.status.conditions[?(@.type==\"Initialized\")].reason} {.status.conditions[?(@.type==\"Initialized\")].message}"));
        Assert.Contains("is waiting to start: PodInitializing", (await k.RunAsync("logs", "init-broken", "-c", "main", "-n", ns)).Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobsCompleteOrFailAtTheirBackoffLimit()
    {
        var k = cluster.Kubectl();
        var ns = await Namespace(k, "jobs");
        await cluster.ApplyAsync(k, "jobs.yaml", string.Join("\n---\n",
            Job(ns, "done", "busybox:1.36", "Never", 6),
            Job(ns, "fails", "busybox:1.36-fail", "Never", 1),
            Job(ns, "retries", "busybox:1.36", "OnFailure", 2, "command: [sh, -c, exit 2]")));

        Assert.Equal("job.batch/done condition met\n", await k.OkAsync("wait", "--for=condition=complete", "job/done", "-n", ns, "--timeout=30s"));
        var uid = await k.OkAsync("get", "job", "done", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        Assert.Equal($"done {uid} done {uid} Job/done Succeeded",
            await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=done", "-o",
                "jsonpath={.items[0].metadata.labels.job-name} {.items[0].metadata.labels.controller-uid} {.items[0].metadata.labels.batch\\.kubernetes\\.io/job-name} " +
                "{.items[0].metadata.labels.batch\\.kubernetes\\.io/controller-uid} {.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name} {.items[0].status.phase}"));
        SimulatorFixture.Matches(@"^done-[a-z0-9]{5}\s+0/1\s+Completed\s+0\s", await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=done"));
        SimulatorFixture.Matches(@"^done\s+Complete\s+1/1\s+\d+s\s", await k.OkAsync("get", "job", "done", "-n", ns));

        // Never: each failed pod is replaced until more than backoffLimit have failed.
        Assert.Equal("job.batch/fails condition met\n", await k.OkAsync("wait", "--for=condition=failed", "job/fails", "-n", ns, "--timeout=30s"));
        Assert.Equal("FailureTarget Failed BackoffLimitExceeded Job has reached the specified backoff limit 2",
            await k.OkAsync("get", "job", "fails", "-n", ns, "-o",
                "jsonpath={.status.conditions[*].type} {.status.conditions[?(@.type==\"Failed\")].reason} {.status.conditions[?(@.type==\"Failed\")].message} {.status.failed}"));
        var failedPods = await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=fails");
        Assert.Equal(2, Regex.Matches(failedPods, @"^fails-[a-z0-9]{5}\s+0/1\s+Error\s+0\s", RegexOptions.Multiline).Count);
        Assert.Equal("1 1", await k.OkAsync("get", "pods", "-n", ns, "-l", "job-name=fails", "-o", "jsonpath={.items[*].status.containerStatuses[0].state.terminated.exitCode}"));
        SimulatorFixture.Matches(@"^fails\s+Failed\s+0/1\s", await k.OkAsync("get", "job", "fails", "-n", ns));
        SimulatorFixture.Matches(@"Warning\s+BackoffLimitExceeded\s+job/fails\s+Job has reached the specified backoff limit", await k.OkAsync("get", "events", "-n", ns));

        // OnFailure: the container restarts in its pod; as many restarts as backoffLimit fail the Job and its pod goes.
        Assert.Equal("job.batch/retries condition met\n", await k.OkAsync("wait", "--for=condition=failed", "job/retries", "-n", ns, "--timeout=30s"));
        Assert.Equal("BackoffLimitExceeded", await k.OkAsync("get", "job", "retries", "-n", ns, "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"));
        await SimulatorFixture.EventuallyAsync(k, "No resources found", "get", "pods", "-n", ns, "-l", "job-name=retries");

        await k.OkAsync("delete", "job", "fails", "-n", ns);
        await SimulatorFixture.EventuallyAsync(k, "No resources found", "get", "pods", "-n", ns, "-l", "job-name=fails");
    }
}
