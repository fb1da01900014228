using System.Text.Json.Nodes;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Behaviours;

/// <summary>
/// <c>test.filters</c>: an excluded hook does not run, named hooks run alone; <c>ignoreFailures</c> keeps Ready. As in
/// helm-controller, the success message counts every test hook of the release, run or filtered out.
/// </summary>
public sealed class TestFilterTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    [Fact]
    public async Task FiltersPickTheTestHooksThatRunAndIgnoredFailuresKeepTheReleaseReady()
    {
        // One namespace each: the hook Pods of the three releases have the same names.
        await stack.PushChartAsync("charts/filtered", TestCharts.App("filtered", "0.1.0",
            TestCharts.TestHook("smoke", fails: false), TestCharts.TestHook("broken", fails: true), TestCharts.TestHook("extra", fails: false)));
        var releases = new Dictionary<string, JsonObject>
        {
            ["excluding"] = Test(false, Filter("broken", exclude: true)),
            ["naming"] = Test(false, Filter("smoke", exclude: false)),
            ["ignoring"] = Test(true, Filter("extra", exclude: true)),
        };
        foreach (var (name, spec) in releases)
        {
            await stack.CreateNamespaceAsync($"hr-filter-{name}");
            await stack.CreateChartRepositoryAsync($"hr-filter-{name}", "filtered", "charts/filtered", HelmReleaseHarness.AnyVersion);
            await stack.CreateHelmReleaseAsync($"hr-filter-{name}", name, "filtered", spec);
        }

        var excluding = await stack.WaitForHelmReleaseAsync("hr-filter-excluding", "excluding", r => IsReady(r, "True") && Condition(r, "TestSuccess") is not null, "tested");
        Assert.Equal("Helm test succeeded for release hr-filter-excluding/excluding.v1 with chart filtered@0.1.0: 3 test hooks completed successfully",
            Message(Ready(excluding)!));
        Assert.Equal(["extra", "smoke"], Hooks(excluding));

        var naming = await stack.WaitForHelmReleaseAsync("hr-filter-naming", "naming", r => IsReady(r, "True") && Condition(r, "TestSuccess") is not null, "tested");
        Assert.Equal("Helm test succeeded for release hr-filter-naming/naming.v1 with chart filtered@0.1.0: 3 test hooks completed successfully",
            Message(Ready(naming)!));
        Assert.Equal(["smoke"], Hooks(naming));

        var ignoring = await stack.WaitForHelmReleaseAsync("hr-filter-ignoring", "ignoring",
            r => Condition(r, "TestSuccess") is { } t && IsFalse(t) && IsReady(r, "True"), "tested");
        Assert.Equal("TestFailed", Reason(Condition(ignoring, "TestSuccess")!));
        Assert.StartsWith("Helm test failed for release hr-filter-ignoring/ignoring.v1 with chart filtered@0.1.0: ", Message(Condition(ignoring, "TestSuccess")!));
        Assert.Equal("Helm install succeeded for release hr-filter-ignoring/ignoring.v1 with chart filtered@0.1.0", Message(Ready(ignoring)!));
        // Hooks run in name order (equal weights) and the first failure ends the run, as in Helm.
        Assert.Equal(["broken"], Hooks(ignoring));
        Assert.Equal("Failed", ignoring["status"]!["history"]![0]!["testHooks"]!["broken"]!["phase"]!.GetValue<string>());

        // The hook Pods that ran exist; the filtered-out ones were never created.
        Assert.Equal(["extra", "smoke"], await HookPodsAsync("hr-filter-excluding"));
        Assert.Equal(["smoke"], await HookPodsAsync("hr-filter-naming"));
        Assert.Equal(["broken"], await HookPodsAsync("hr-filter-ignoring"));
    }

    private async Task<List<string>> HookPodsAsync(string ns) =>
        [.. (await stack.Kubectl.OkAsync("get", "pods", "-n", ns, "-o", "jsonpath={.items[*].metadata.name}"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => p is "smoke" or "broken" or "extra").Order()];

    /// <summary>The test hooks that ran: every test hook of the release is on its snapshot, only those that ran have a phase.</summary>
    private static List<string> Hooks(JsonObject release)
    {
        var hooks = release["status"]!["history"]![0]!["testHooks"]!.AsObject();
        Assert.Equal(["broken", "extra", "smoke"], hooks.Select(h => h.Key).Order());
        return [.. hooks.Where(h => h.Value?["phase"] is not null).Select(h => h.Key).Order()];
    }

    private static JsonObject Filter(string name, bool exclude) => new() { ["name"] = name, ["exclude"] = exclude };

    private static JsonObject Test(bool ignoreFailures, params JsonObject[] filters) => new()
    {
        ["test"] = new JsonObject { ["enable"] = true, ["ignoreFailures"] = ignoreFailures, ["filters"] = new JsonArray([.. filters]) },
    };
}
