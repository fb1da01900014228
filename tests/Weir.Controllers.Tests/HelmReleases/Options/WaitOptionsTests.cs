using System.Text.Json.Nodes;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Options;

/// <summary>
/// How a HelmRelease waits for its release — Jobs or not, kstatus (poller) or Helm's legacy rules, CEL health
/// checks — and the Helm log lines a failure event carries, on the embedded stack.
/// </summary>
public sealed class WaitOptionsTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    /// <summary>A Job whose image cannot be pulled never completes; a Secret whose value must never be shown.</summary>
    private static readonly (string, string)[] JobAndSecret =
    [
        ("templates/job.yaml", """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{ .Release.Name }}-migrate
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox:1.36-broken
            """),
        ("templates/secret.yaml", """
            apiVersion: v1
            kind: Secret
            metadata:
              name: {{ .Release.Name }}-credentials
            stringData:
              password: {{ .Values.password | quote }}
            """),
    ];

    [Fact]
    public async Task DisableWaitForJobsReleasesWithoutTheJobAndAWaitedJobFailsWithHelmsLogLinesButNoSecret()
    {
        const string ns = "hr-opt-jobs";
        const string password = "hunter2-do-not-show";
        await stack.PublishAsync(ns, "jobs", TestCharts.App("jobs", "1.0.0", JobAndSecret));
        var values = new JsonObject { ["password"] = password };
        await stack.CreateHelmReleaseAsync(ns, "skipped", "jobs", new JsonObject
        {
            ["values"] = values.DeepClone(),
            ["install"] = new JsonObject { ["disableWaitForJobs"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "waited", "jobs", new JsonObject
        {
            ["values"] = values.DeepClone(),
            ["install"] = new JsonObject { ["timeout"] = "3s" },
        });

        var skipped = await stack.WaitForHelmReleaseAsync(ns, "skipped", r => IsReady(r, "True"), "installed without waiting for its Job");
        Assert.Equal($"Helm install succeeded for release {ns}/skipped.v1 with chart jobs@1.0.0", Message(Ready(skipped)!));
        Assert.Equal("", await stack.Kubectl.OkAsync("get", "job", "skipped-migrate", "-n", ns, "-o", "jsonpath={.status.succeeded}"));

        var waited = await stack.WaitForHelmReleaseAsync(ns, "waited", r => IsReady(r, "False") && Reason(Ready(r)!) == "InstallFailed", "failed waiting for its Job");
        Assert.StartsWith($"Helm install failed for release {ns}/waited with chart jobs@1.0.0: timeout waiting for: [", Message(Ready(waited)!));
        Assert.Contains($"Job/{ns}/waited-migrate status: 'InProgress'", Message(Ready(waited)!));

        var failed = (await stack.EventsAsync(ns, "waited")).First(e => e["reason"]!.GetValue<string>() == "InstallFailed");
        var message = failed["message"]!.GetValue<string>();
        Assert.Equal("Warning", failed["type"]!.GetValue<string>());
        var logs = message[(message.IndexOf("\n\nLast Helm logs:\n\n", StringComparison.Ordinal) + "\n\nLast Helm logs:\n\n".Length)..].Split('\n');
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z: creating resource\(s\): \{""resources"":4\}$", logs[0]);
        Assert.Contains(logs, l => l.EndsWith(": waiting for resources: {\"count\":4,\"timeout\":3000000000}", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains(": error: wait for resources failed: {\"error\":\"timeout waiting for: [", StringComparison.Ordinal));
        foreach (var e in await stack.EventsAsync(ns, "waited"))
        {
            Assert.DoesNotContain(password, e["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // kubectl describe shows the spec's values (the password among them); its events must not.
        var describe = await stack.Kubectl.OkAsync("describe", "helmrelease", "waited", "-n", ns);
        var events = describe[describe.LastIndexOf("Events:", StringComparison.Ordinal)..];
        Assert.Contains("Last Helm logs:", events, StringComparison.Ordinal);
        Assert.DoesNotContain(password, events, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheLegacyWaitStrategyAcceptsWhatHelmsReadyCheckerAcceptsAndThePollerDoesNot()
    {
        const string ns = "hr-opt-legacy";

        // One replica that may be unavailable: Helm's ready checker wants 1 - 1 = 0 ready pods; kstatus wants all.
        const string tolerant = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}-tolerant
            spec:
              replicas: 1
              strategy:
                rollingUpdate: {maxUnavailable: 1}
              selector:
                matchLabels: {app: {{ .Release.Name }}-tolerant}
              template:
                metadata:
                  labels: {app: {{ .Release.Name }}-tolerant}
                spec:
                  containers:
                  - name: main
                    image: nginx:1.25-broken
            """;
        await stack.PublishAsync(ns, "tolerant", TestCharts.App("tolerant", "1.0.0", ("templates/tolerant.yaml", tolerant)));
        await stack.CreateHelmReleaseAsync(ns, "legacy", "tolerant", new JsonObject
        {
            ["waitStrategy"] = new JsonObject { ["name"] = "legacy" },
            ["install"] = new JsonObject { ["timeout"] = "20s" },
        });
        await stack.CreateHelmReleaseAsync(ns, "poller", "tolerant", new JsonObject
        {
            ["waitStrategy"] = new JsonObject { ["name"] = "poller" },
            ["install"] = new JsonObject { ["timeout"] = "3s" },
        });

        var legacy = await stack.WaitForHelmReleaseAsync(ns, "legacy", r => IsReady(r, "True"), "installed by Helm's ready rules");
        Assert.Equal($"Helm install succeeded for release {ns}/legacy.v1 with chart tolerant@1.0.0", Message(Ready(legacy)!));
        Assert.NotEqual("1", await stack.Kubectl.OkAsync("get", "deployment", "legacy-tolerant", "-n", ns, "-o", "jsonpath={.status.readyReplicas}"));

        var poller = await stack.WaitForHelmReleaseAsync(ns, "poller", r => IsReady(r, "False") && Reason(Ready(r)!) == "InstallFailed", "failed by kstatus");
        Assert.Contains($"Deployment/{ns}/poller-tolerant status: 'InProgress'", Message(Ready(poller)!));
    }

    [Fact]
    public async Task AHealthCheckExpressionThatSaysFailedFailsTheRelease()
    {
        const string ns = "hr-opt-cel";
        await stack.PublishAsync(ns, "cel", TestCharts.App("cel", "1.0.0"));
        JsonArray Checks() => new(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["current"] = "data.greeting == 'hello'",
            ["failed"] = "data.greeting == 'broken'",
        });
        await stack.CreateHelmReleaseAsync(ns, "healthy", "cel", new JsonObject { ["healthCheckExprs"] = Checks() });
        await stack.CreateHelmReleaseAsync(ns, "unhealthy", "cel", new JsonObject
        {
            ["healthCheckExprs"] = Checks(),
            ["values"] = new JsonObject { ["greeting"] = "broken" },
        });
        await stack.CreateHelmReleaseAsync(ns, "invalid", "cel", new JsonObject
        {
            ["healthCheckExprs"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["current"] = "data.greeting ==" }),
        });

        var healthy = await stack.WaitForHelmReleaseAsync(ns, "healthy", r => IsReady(r, "True"), "installed, its ConfigMap current by CEL");
        Assert.Equal("InstallSucceeded", Reason(Ready(healthy)!));

        var unhealthy = await stack.WaitForHelmReleaseAsync(ns, "unhealthy", r => IsReady(r, "False") && Reason(Ready(r)!) == "InstallFailed", "failed by CEL");
        Assert.Equal(
            $"Helm install failed for release {ns}/unhealthy with chart cel@1.0.0: failed early due to stalled resources: [ConfigMap/{ns}/unhealthy-config status: 'Failed']",
            Message(Ready(unhealthy)!));

        var invalid = await stack.WaitForHelmReleaseAsync(ns, "invalid", r => Condition(r, "Stalled") is not null, "stalled on a bad expression");
        Assert.Equal("InvalidCELExpression", Reason(Ready(invalid)!));
        Assert.StartsWith("Reconciliation failed terminally due to configuration error: failed to create custom status evaluator for healthchecks[0]: ", Message(Ready(invalid)!));
    }
}
