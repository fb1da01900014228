using System.Diagnostics;
using Weir.Testing;
using Xunit.Abstractions;

namespace Weir.Cli.Tests.Ui;

/// <summary>
/// <c>weir ui</c> driven in tmux against <c>weir up --demo</c>: the seeds' row on the first screen, a push and
/// reconcile showing up without a key press, the object pages, filtering and kind switching, actions and read-only,
/// RBAC notices, the degraded banner, colours and resizing.
/// </summary>
[Collection(DemoClusterCollection.Name)]
public sealed class UiTests(DemoCluster demo, ITestOutputHelper output)
{
    private const string DemoRow = @"my-app\s+Kustomization\s+False\s+True\s+\S+\s+Applied revision: v1\.\d\.0@sha256:[0-9a-f]{8}";

    [Fact]
    public async Task FirstScreenShowsTheSeedsRowAndAPushAndReconcileUpdateItLive()
    {
        await using var ui = await TmuxUi.StartAsync(demo.Kubeconfig, []);
        var first = await ui.WaitForAsync(@"my-app\s+Kustomization\s+False\s+True\s+\S+\s+Applied revision: v1\.0\.0@sha256:[0-9a-f]{8}");
        var firstScreen = ui.SinceStart.Elapsed;
        Assert.Matches(@"STATUS|NAMESPACE\s+NAME\s+TYPE\s+SUSPENDED\s+READY\s+AGE\s+MESSAGE\s+REVISION", first);
        await ui.WaitForAsync(@"my-app v1\.0\.0\s+live");
        // Speed targets live in bench/ (docs/performance.md has the figure); here it is only reported.
        output.WriteLine($"first screen with the demo row {firstScreen.TotalMilliseconds:F0} ms after launch");

        // The README's daily loop: pull v1.0.0, change the image, push v1.1.0, reconcile with the CLI.
        var registry = $"oci://127.0.0.1:{demo.Up.RegistryPort}/demo/my-app";
        var content = Path.Combine(demo.Work, "my-app");
        Ok(await WeirRun.ExecAsync(["pull", "artifact", $"{registry}:v1.0.0", "--output", content, "--insecure"]));
        var deployment = Path.Combine(content, "deployment.yaml");
        File.WriteAllText(deployment, File.ReadAllText(deployment).Replace("my-app:1.0.0", "my-app:1.1.0", StringComparison.Ordinal));
        Ok(await WeirRun.ExecAsync(["push", "artifact", $"{registry}:v1.1.0", "--path", content, "--source", "https://github.com/example/my-app", "--revision", "v1.1.0", "--insecure"]));
        Ok(await WeirRun.RunAsync(demo.Kubeconfig, "reconcile", "ks", "my-app", "--with-source"));

        // No key is pressed from here on: the watch brings the change.
        var changed = Stopwatch.StartNew();
        await ui.WaitForAsync(@"my-app\s+Kustomization\s+False\s+True\s+\S+\s+Applied revision: v1\.1\.0@sha256:", TimeSpan.FromSeconds(10));
        var rowAfter = changed.Elapsed;
        var screen = await ui.WaitForAsync(@"my-app v1\.1\.0\s+live", TimeSpan.FromSeconds(10));
        Assert.Matches(@"✔ Kustomization flux-system/my-app\s+applied v1\.1\.0@sha256:", screen);
        output.WriteLine($"row showed v1.1.0 {rowAfter.TotalMilliseconds:F0} ms after weir reconcile returned");
    }

    [Fact]
    public async Task ObjectPagesFilterAndKindSwitch()
    {
        await using var ui = await TmuxUi.StartAsync(demo.Kubeconfig, [], height: 90);
        await ui.WaitForAsync(DemoRow);
        await ui.TypeAsync("/my");
        await ui.WaitForAsync(@"all \[2/2\]\s+filter: /my");
        await ui.KeysAsync("Escape");
        await ui.WaitForAsync(@"── all \[2/2\] ─");
        await ui.TypeAsync("/nothing-like-this");
        // The empty-list notice may be drawn a frame before the rows are cleared: wait for the settled screen.
        var none = await ui.WaitForAsync(@"\A(?![\s\S]*[●✗◎⏸]\s+flux-system\s+my-app)[\s\S]*no all objects matching /nothing-like-this");
        Assert.DoesNotMatch(@"[●✗◎⏸]\s+flux-system\s+my-app", none);
        await ui.KeysAsync("Escape");

        // Rows are sorted kinds-first: OCIRepository, then the Kustomization.
        await ui.KeysAsync("j", "d");
        var describe = await ui.WaitForAsync(@"^Events:\n(.*\n)*\s+Normal\s+ReconciliationSucceeded");
        Assert.Matches(@"Conditions:\n(.*\n)*\s+Reason:\s+ReconciliationSucceeded\n\s+Status:\s+True\n\s+Type:\s+Ready", describe);

        await ui.KeysAsync("Escape", "y");
        var yaml = await ui.WaitForAsync(@"^kind: Kustomization");
        Assert.Contains("apiVersion: kustomize.toolkit.fluxcd.io/v1", yaml, StringComparison.Ordinal);
        await ui.TypeAsync("/lastAppliedRevision");
        await ui.WaitForAsync(@"search: /lastAppliedRevision ─+\n\s+lastAppliedRevision: v1\.");

        await ui.KeysAsync("Escape", "Escape", "h");
        await ui.WaitForAsync(@"LAST RECONCILED\s+REVISION\s+STATUS\s+COUNT\s+DURATION\n\S+\s+v1\.\d\.0@sha256:[0-9a-f]{8}\s+ReconciliationSucceeded");

        await ui.KeysAsync("Escape", "t");
        var trace = await ui.WaitForAsync(@"^OCIRepository:\s+my-app");
        Assert.Matches(@"Kustomization:\s+my-app\nNamespace:\s+flux-system", trace);
        Assert.Matches($@"URL:\s+oci://127\.0\.0\.1:{demo.Up.RegistryPort}/demo/my-app", trace);

        await ui.KeysAsync("Escape", "g");
        var graph = await ui.WaitForAsync(@"pod my-app-\S+\s+Running\s+restarts: \d+");
        Assert.Matches(@"OCIRepository/flux-system/my-app\s+\[True v1\.\d\.0@sha256:[0-9a-f]{8}\]", graph);
        Assert.Matches(@"└── Deployment/default/my-app\n\s+rollout: Current", graph);

        await ui.KeysAsync("Escape");
        await ui.TypeAsync(":hr");
        await ui.WaitForAsync(@"── HelmReleases \[0/0\]");
        await ui.KeysAsync("Escape");
        await ui.KeysAsync(":");
        await ui.TypeAsync("kustomiz", enter: false);
        await ui.KeysAsync("Tab");
        await ui.WaitForAsync(@":kustomization█");
        await ui.KeysAsync("Enter");
        var kustomizations = await ui.WaitForAsync(@"── Kustomizations \[1/1\]");
        Assert.DoesNotContain("OCIRepository  ", kustomizations, StringComparison.Ordinal);

        await ui.KeysAsync("Escape");
        await ui.TypeAsync(":pulse");
        await ui.WaitForAsync(@"KIND\s+READY\s+FAILED\s+SUSPENDED\s+TOTAL\n(.*\n)*Kustomization\s+1\s+0\s+0\s+1");
        await ui.KeysAsync("Escape");
        await ui.TypeAsync(":events");
        await ui.WaitForAsync(@"Normal\s+ReconciliationSucceeded\s+Kustomization/flux-system/my-app");
        await ui.KeysAsync("Escape");
        await ui.TypeAsync(":logs");
        await ui.WaitForAsync(@"info kustomization/my-app\.flux-system - ");
        await ui.KeysAsync("Escape", "0");
        await ui.WaitForAsync(@"namespace: all");
        await ui.WaitForAsync(DemoRow);
        await ui.KeysAsync("1");
        // After "0" the lists hold every namespace (the demo's HelmRelease and its OCIRepository are in my-app).
        await ui.WaitForAsync(@"── all \[2/4\]\s+namespace: flux-system");
        await ui.KeysAsync("0");
        await ui.KeysAsync("?");
        await ui.WaitForAsync(@"Actions\s+R reconcile\s+W reconcile with source");
        await ui.KeysAsync("Escape", "Escape");
        await ui.ResizeAsync(120, 30);
        var small = await ui.WaitForAsync(@"\n ●\s+flux-system\s+my-app\s+OCIRepository");
        Assert.All(small.Split('\n'), line => Assert.True(line.Length <= 120, line));
        await ui.ResizeAsync(220, 70);
        await ui.WaitForAsync(DemoRow);
    }

    [Fact]
    public async Task ActionsAreRefusedReadOnlyAndWorkAfterTheToggle()
    {
        await using var ui = await TmuxUi.StartAsync(demo.Kubeconfig, []);
        await ui.WaitForAsync(DemoRow);
        await ui.KeysAsync("j", "s");
        await ui.WaitForAsync(@"✗ read-only mode: s \(suspend\) is refused; :readonly turns read-only off");
        await ui.KeysAsync("R");
        await ui.WaitForAsync(@"✗ read-only mode: R \(reconcile\) is refused");

        await ui.TypeAsync(":readonly");
        await ui.WaitForAsync(@"\[read-write\]");
        await ui.KeysAsync("s");
        await ui.WaitForAsync(@"✔ kustomization suspended");
        await ui.WaitForAsync(@"⏸\s+flux-system\s+my-app\s+Kustomization\s+True\s+True");
        await ui.WaitForAsync(@"✗ Kustomization flux-system/my-app\s+my-app is suspended");

        await ui.KeysAsync("r");
        await ui.WaitForAsync(@"✔ kustomization resumed");
        await ui.WaitForAsync(@"●\s+flux-system\s+my-app\s+Kustomization\s+False\s+True");
        await ui.KeysAsync("R");
        await ui.WaitForAsync(@"► annotating Kustomization my-app in flux-system namespace");
        await ui.WaitForAsync(@"✔ applied revision v1\.\d\.0@sha256:", TimeSpan.FromSeconds(30));

        await ui.KeysAsync("C-d");
        await ui.WaitForAsync(@"Delete Kustomization flux-system/my-app\? \(y/n\)");
        await ui.KeysAsync("n");
        await ui.WaitForAsync(@"✗ delete cancelled");
        await ui.KeysAsync("q");
        await ui.WaitForAsync(@"\A(?![\s\S]*weir ui )");
    }

    [Fact]
    public async Task AViewOnlyUserSeesTheForbiddenNoticeForFluxSystem()
    {
        var added = await WeirRun.ExecAsync(["cluster", "add-user", "viewer", "--role", "view", "--namespace", "default", "--data-dir", demo.DataDir]);
        Ok(added);
        var kubeconfig = added.Out.Split('\n').Single(l => l.StartsWith("kubeconfig: ", StringComparison.Ordinal))["kubeconfig: ".Length..].Trim();
        await using var ui = await TmuxUi.StartAsync(kubeconfig, []);
        var screen = await ui.WaitForAsync(@"Forbidden: your RBAC cannot list HelmReleases in flux-system");
        Assert.Contains("Forbidden: your RBAC cannot list Kustomizations in flux-system", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("Watch degraded", screen, StringComparison.Ordinal);

        // In its own namespace the same user may list: no notice, an empty list.
        await using var own = await TmuxUi.StartAsync(kubeconfig, ["-n", "default"]);
        var allowed = await own.WaitForAsync(@"no all objects");
        Assert.DoesNotContain("Forbidden", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableServerShowsTheDegradedBanner()
    {
        var dead = Path.Combine(demo.Work, "dead.kubeconfig");
        File.WriteAllText(dead, File.ReadAllText(demo.Kubeconfig).Replace($"127.0.0.1:{demo.Up.ApiPort}", $"127.0.0.1:{TestEnv.FreePort()}", StringComparison.Ordinal));
        await using var ui = await TmuxUi.StartAsync(dead, []);
        await ui.WaitForAsync(@"⚠ Watch degraded \(\d+\) — data may be stale, reconnecting\.\.\.");
    }

    [Fact]
    public async Task ColoursAreTheTerminals16AndNoColorTurnsThemOff()
    {
        await using (var ui = await TmuxUi.StartAsync(demo.Kubeconfig, []))
        {
            await ui.WaitForAsync(DemoRow);
            var coloured = await ui.ScreenAsync(escapes: true);
            Assert.Matches(@"\e\[32m●", coloured);
            Assert.DoesNotMatch(@"\e\[[0-9;]*38;[25];", coloured);
        }

        await using var plain = await TmuxUi.StartAsync(demo.Kubeconfig, [], env: new Dictionary<string, string> { ["NO_COLOR"] = "1" });
        await plain.WaitForAsync(DemoRow);
        Assert.DoesNotMatch(@"\e\[[0-9;]*(3[0-7]|9[0-7]|38;)[0-9;]*m", await plain.ScreenAsync(escapes: true));
    }

    private static void Ok(ProcessResult result) => Assert.True(result.Code == 0, result.ToString());
}
