using System.Diagnostics;
using System.Text;
using Weir.Bench.Fleets;
using Weir.Core.Objects;

// Replays public fleet repositories against Weir: kustomize directories byte for byte against kubectl kustomize,
// Flux's build layer against a kubectl + drone/envsubst replay, and a server-side dry-run of every built object.
// Usage: dotnet run -c Release --project bench/Weir.Bench.Fleets -- NAME=CHECKOUT_DIR ... [--kubectl PATH] [--envsubst PATH]
// (scripts/replay-fleets checks out the pinned repositories and runs this.)
var kubectl = Option("--kubectl") ?? "kubectl";
var envsubst = Option("--envsubst") ?? Path.Combine(RepoRoot(), ".tools", "envsubst-oracle");
var fleets = args.Where(a => a.Contains('=') && !a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=', 2)).ToList();
if (fleets.Count == 0)
{
    Console.Error.WriteLine("usage: Weir.Bench.Fleets NAME=CHECKOUT_DIR ... [--kubectl PATH] [--envsubst PATH]");
    return 2;
}

var report = new StringBuilder();
report.AppendLine("| repository | kustomize dirs | identical | both fail | differ | Flux Kustomizations | build layer agrees | not replayable | differ | objects dry-run | pass | fail |");
report.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
var details = new StringBuilder();
foreach (var fleet in fleets)
{
    var (name, root) = (fleet[0], Path.GetFullPath(fleet[1]));
    var clock = Stopwatch.StartNew();
    var kustomize = new KustomizeReplay(kubectl);
    kustomize.Run(root);
    var flux = new FluxBuildReplay(kubectl, envsubst);
    await flux.RunAsync(root);
    // Flux's own objects of the repository as written (those in directories Flux generates a kustomization for too),
    // then what the kustomize builds and the Flux builds made of them.
    var objects = FleetFiles.Objects(root).Select(o => o.Object).Where(o => o.ApiVersion().Contains(".fluxcd.io/", StringComparison.Ordinal) && o.Name().Length > 0)
        .GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
    foreach (var (key, obj) in kustomize.Built)
    {
        objects[key] = obj;
    }

    foreach (var (key, obj) in flux.Built)
    {
        objects[key] = obj;
    }

    var dryRun = await DryRun.RunAsync(kubectl, objects.Values);
    var failed = dryRun.Failures.Sum(f => f.Value.Count);
    report.AppendLine($"| {name} | {kustomize.Directories} | {kustomize.Identical} | {kustomize.BothFailed} | {kustomize.Differences.Count} | " +
        $"{flux.Kustomizations} | {flux.Agreed} | {flux.Skipped} | {flux.Differences.Count} | {dryRun.Objects} | {dryRun.Passed} | {failed} |");
    details.AppendLine($"### {name} ({clock.Elapsed.TotalSeconds:F0} s)");
    foreach (var d in kustomize.Differences.OrderBy(d => d.Path, StringComparer.Ordinal))
    {
        details.AppendLine($"- kustomize `{d.Path}`: {d.Detail}");
    }

    foreach (var d in flux.Differences)
    {
        details.AppendLine($"- build layer `{d.Path}`: {d.Detail}");
    }

    foreach (var group in flux.SkipReasons.GroupBy(s => s.Detail.StartsWith("Weir:", StringComparison.Ordinal) ? s.Detail : Category(s.Detail)))
    {
        details.AppendLine($"- not replayable ({group.Count()}): {group.Key}{(group.Count() <= 3 ? " — " + string.Join(", ", group.Select(g => $"`{g.Path}`")) : "")}");
    }

    foreach (var (cause, lines) in dryRun.Failures.OrderByDescending(f => f.Value.Count))
    {
        details.AppendLine($"- dry-run ({lines.Count}): {cause}");
    }
}

Console.WriteLine(report);
Console.WriteLine(details);
return 0;

static string Key(System.Text.Json.Nodes.JsonObject o) => $"{o.ApiVersion()}/{o.Kind()}/{o.Namespace()}/{o.Name()}";

static string Category(string detail) => detail.Contains("substituted by its parent", StringComparison.Ordinal) ? "path substituted by its parent Kustomization"
    : detail.Contains("not in this repository", StringComparison.Ordinal) ? "path in another source"
    : detail.Contains("no kustomization file", StringComparison.Ordinal) ? "no kustomization file (Flux generates one)" : detail;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string RepoRoot()
{
    var dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Weir.slnx")))
    {
        dir = Path.GetDirectoryName(dir);
    }

    return dir ?? Environment.CurrentDirectory;
}
