using System.Diagnostics;
using System.Globalization;
using System.Text;
using Weir.Core.Api.Source;
using Weir.Runtime.Artifacts;
using Weir.Sources.GitRepositories;
using Weir.Sources.Storage;
using Weir.Testing;

// GitRepository clone-to-artifact against `git clone --depth 1` + `tar czf`, in one run, over smart HTTP
// (`git http-backend` behind Kestrel: the GitRepository tests' GitServerFixture). The repository is generated with
// `git fast-import`: FILES files in the first commit, then COMMITS-1 commits changing a few files each, fixed authors
// and dates, so every run serves the same commits. Weir's side is the reconciler's code path: ls-remote, shallow
// fetch (GitCheckout), the archive packed from the git objects without a work tree with Flux's ignore rules
// (GitTreeArchive, as for a GitRepository without includes, submodules or sparse checkout) and the store (ArtifactStore).
// The baseline leaves .git out of its tarball, as the artifact does. Figures are medians of ITERATIONS runs of each,
// alternating (and alternating which goes first), after one warm-up of each; the steps of each side are printed too.
// Usage: Weir.Bench.Git [FILES] [COMMITS] [ITERATIONS]
var files = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var commits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");

var server = new GitServerFixture();
await server.InitializeAsync();
var work = TestEnv.TempDir("weir-bench-git-");
try
{
    var generate = Stopwatch.StartNew();
    var head = await BenchRepository.CreateAsync(Path.Combine(server.Root, "bench.git"), files, commits);
    Console.WriteLine($"repository: {files} files, {commits} commits, head {head}, generated in {generate.Elapsed.TotalSeconds:F1} s");
    var url = server.AnonymousUrl("bench");
    var store = new ArtifactStore(Path.Combine(work, "storage"));

    var weir = new List<double>();
    var git = new List<double>();
    var phases = new Dictionary<string, List<double>>();
    long weirBytes = 0, gitBytes = 0;
    for (var i = 0; i <= iterations; i++)
    {
        var run = Path.Combine(work, $"run-{i}");
        Directory.CreateDirectory(run);
        // Which side goes first alternates, so neither always meets the other's warm caches.
        double weirTime = 0, gitTime = 0;
        long stored = 0, tarball = 0;
        foreach (var side in i % 2 == 0 ? new[] { "weir", "git" } : ["git", "weir"])
        {
            var watch = Stopwatch.StartNew();
            if (side == "weir")
            {
                stored = await WeirCloneAsync(url, store, Path.Combine(run, "weir"), i, i == 0 ? [] : phases);
                weirTime = watch.Elapsed.TotalMilliseconds;
            }
            else
            {
                tarball = await GitCloneAndTarAsync(url, Path.Combine(run, "git"), i == 0 ? [] : phases);
                gitTime = watch.Elapsed.TotalMilliseconds;
            }
        }

        Console.WriteLine($"  {(i == 0 ? "warm-up" : $"run {i}")}: weir {weirTime:F0} ms, git clone + tar czf {gitTime:F0} ms");
        if (i > 0)
        {
            weir.Add(weirTime);
            git.Add(gitTime);
        }

        (weirBytes, gitBytes) = (stored, tarball);
        Directory.Delete(run, recursive: true);
    }

    var weirMedian = Median(weir);
    var gitMedian = Median(git);
    Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
    Console.WriteLine($"weir clone-to-artifact: median {weirMedian:F0} ms (artifact {weirBytes / 1024.0 / 1024.0:F2} MiB)");
    Console.WriteLine($"git clone --depth 1 + tar czf: median {gitMedian:F0} ms (tarball {gitBytes / 1024.0 / 1024.0:F2} MiB)");
    Console.WriteLine($"ratio (git / weir): {gitMedian / weirMedian:F2}x (target >= 1.0x)");
    Console.WriteLine("steps (median ms): " + string.Join(", ", phases.Select(p => $"{p.Key} {Median(p.Value):F0}")));
}
finally
{
    Directory.Delete(work, recursive: true);
    await server.DisposeAsync();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// The steps GitRepositoryReconciler takes for a new revision; each run stores under its own name so nothing is reused.
static async Task<long> WeirCloneAsync(string url, ArtifactStore store, string dir, int run, Dictionary<string, List<double>> phases)
{
    var watch = Stopwatch.StartNew();
    void Step(string name) => Record(phases, "weir " + name, watch);

    using var access = new GitAccess(url);
    var checkout = new GitCheckout(new GitCommand(access), url);
    var resolved = await checkout.ResolveAsync(new GitRepositoryRef { Branch = "main" }, CancellationToken.None);
    Step("ls-remote");
    var gitDir = Path.Combine(dir, "git");
    var commit = await checkout.FetchAsync(resolved, gitDir, 512L * 1024 * 1024, CancellationToken.None);
    Step("fetch");
    // As the reconciler does for a GitRepository without includes, submodules or sparse checkout: packed from the
    // git objects, with no work tree.
    var archive = Path.Combine(dir, "artifact.tar.gz");
    await using (var output = File.Create(archive))
    {
        if (!await new GitTreeArchive(new GitCommand(access), gitDir).TryCreateAsync(commit.Hash, output, IgnoreRules.ForSpec(null), CancellationToken.None))
        {
            throw new InvalidOperationException("the bench repository needs a checkout");
        }
    }

    Step("archive");
    await using var packed = File.OpenRead(archive);
    var stored = await store.StoreAsync(GitRepository.KindName, "bench", $"run-{run}", packed);
    Step("store");
    return stored.Size;
}

static async Task<long> GitCloneAndTarAsync(string url, string dir, Dictionary<string, List<double>> phases)
{
    var watch = Stopwatch.StartNew();
    var tree = Path.Combine(dir, "tree");
    await Run("git", ["clone", "-q", "--depth", "1", "--branch", "main", url, tree]);
    Record(phases, "git clone", watch);
    var tarball = Path.Combine(dir, "tree.tar.gz");
    await Run("tar", ["czf", tarball, "--exclude=.git", "-C", tree, "."]);
    Record(phases, "tar czf", watch);
    return new FileInfo(tarball).Length;
}

static void Record(Dictionary<string, List<double>> phases, string name, Stopwatch watch)
{
    (phases.TryGetValue(name, out var list) ? list : phases[name] = []).Add(watch.Elapsed.TotalMilliseconds);
    watch.Restart();
}

static async Task Run(string file, string[] arguments)
{
    var result = await TestProcess.RunAsync(file, arguments, environment: new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = "/dev/null" });
    if (result.Code != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)}: {result}");
    }
}

/// <summary>A bare repository of generated YAML files and history, written with <c>git fast-import</c>.</summary>
internal static class BenchRepository
{
    private const string Committer = "Weir Bench <bench@weir.invalid>";

    public static async Task<string> CreateAsync(string bare, int files, int commits)
    {
        await Git(null, "init", "-q", "--bare", "-b", "main", bare);
        var stream = new StringBuilder();
        for (var c = 1; c <= commits; c++)
        {
            var message = c == 1 ? "add the fleet" : $"change {c}";
            stream.Append("commit refs/heads/main\n").Append(CultureInfo.InvariantCulture, $"mark :{c}\n")
                .Append(CultureInfo.InvariantCulture, $"committer {Committer} {1_700_000_000 + c * 60} +0000\n")
                .Append(CultureInfo.InvariantCulture, $"data {message.Length}\n{message}\n");
            if (c > 1)
            {
                stream.Append(CultureInfo.InvariantCulture, $"from :{c - 1}\n");
            }

            var changed = c == 1 ? Enumerable.Range(0, files) : Enumerable.Range(0, 5).Select(j => (c * 7919 + j * 104729) % files);
            foreach (var f in changed)
            {
                var content = FileContent(f, c);
                stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {PathOf(f)}\ndata {content.Length}\n{content}\n");
            }
        }

        await Git(stream.ToString(), "--git-dir=" + bare, "fast-import", "--quiet");
        return (await Git(null, "--git-dir=" + bare, "rev-parse", "main")).Trim();
    }

    private static string PathOf(int file) => $"apps/team-{file / 250:D2}/app-{file / 50:D3}/resource-{file:D4}.yaml";

    // A manifest of 1-3 KiB with a few pseudo-random values (a seeded Random gives the same values on every run).
    private static string FileContent(int file, int commit)
    {
        var random = new Random(file * 1009 + commit);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: resource-{file:D4}\n  namespace: team-{file / 250:D2}\n  labels:\n    app: app-{file / 50:D3}\n    revision: \"{commit}\"\ndata:\n");
        var keys = 8 + random.Next(16);
        for (var k = 0; k < keys; k++)
        {
            var value = Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())).ToLowerInvariant();
            text.Append(CultureInfo.InvariantCulture, $"  key-{k:D2}: \"setting {k} of app {file / 50} is {value} at level {random.Next(1000)}\"\n");
        }

        return text.ToString();
    }

    private static async Task<string> Git(string? input, params string[] arguments)
    {
        var result = await TestProcess.RunAsync("git", arguments, input: input, timeout: TimeSpan.FromMinutes(5));
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {result}");
        }

        return result.Out;
    }
}
