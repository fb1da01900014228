using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Kustomize;
using Weir.Kustomize.Build;
using Weir.Kustomize.Loading;

// Weir's in-process kustomize build against kubectl kustomize (one process per build), in the same run:
// the whole shared corpus, then one generated 2,000-resource build.
var weirOnly = args.Contains("--weir-only");
args = args.Where(a => a != "--weir-only").ToArray();
var corpus = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("WEIR_CORPUS") is { Length: > 0 } c ? c : FindCorpus();
var root = Path.Combine(corpus, "kustomize");
var cases = File.ReadLines(Path.Combine(root, "index.jsonl"))
    .Where(l => l.Trim().Length > 0)
    .Select(l => JsonNode.Parse(l)!.AsObject())
    .Select(o => (Dir: Path.Combine(root, o["case"]!.GetValue<string>(), "input"), Build: o["build"]!.GetValue<string>()))
    .ToList();

// Warm up (JIT, OpenAPI load) so the figure is the steady-state cost the reconciler pays.
RunWeir(cases.Take(20));
var weirCorpus = RunWeir(cases);
var kubectlCorpus = weirOnly ? TimeSpan.Zero : RunKubectl(cases);
Console.WriteLine($"corpus ({cases.Count} cases): weir {weirCorpus.TotalSeconds:F2} s, kubectl {kubectlCorpus.TotalSeconds:F2} s, " +
    $"{kubectlCorpus / weirCorpus:F1}x");

var large = Directory.CreateTempSubdirectory("weir-bench-large-").FullName;
try
{
    WriteLarge(large, 2000);
    Kustomizer.BuildYaml(large);
    var weirLarge = Time(() => Kustomizer.BuildYaml(large), 3);
    var kubectlLarge = weirOnly ? TimeSpan.Zero : Time(() => Kubectl(large, "."), 3);
    Console.WriteLine($"(best of 3; machine load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    Console.WriteLine($"2,000-resource build: weir {weirLarge.TotalMilliseconds:F0} ms, kubectl {kubectlLarge.TotalMilliseconds:F0} ms, " +
        $"{kubectlLarge / weirLarge:F1}x");
}
finally
{
    Directory.Delete(large, recursive: true);
}

static TimeSpan RunWeir(IEnumerable<(string Dir, string Build)> cases)
{
    var clock = Stopwatch.StartNew();
    foreach (var (dir, build) in cases)
    {
        try
        {
            Kustomizer.BuildYaml(Path.Combine(dir, build), new BuildOptions(LoadRestriction.None));
        }
        catch (KustomizeException)
        {
            // Cases the oracle rejects are rejected here too; the cost still counts.
        }
    }

    return clock.Elapsed;
}

static TimeSpan RunKubectl(IEnumerable<(string Dir, string Build)> cases)
{
    var clock = Stopwatch.StartNew();
    foreach (var (dir, build) in cases)
    {
        Kubectl(dir, build);
    }

    return clock.Elapsed;
}

static void Kubectl(string dir, string build)
{
    // Run from the case directory so a case whose input tree is missing fails in kubectl, not in Process.Start.
    var psi = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Path.GetFileName(dir), build), "--load-restrictor", "LoadRestrictionsNone"])
    {
        WorkingDirectory = Path.GetDirectoryName(dir)!,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    p.StandardError.ReadToEnd();
    p.WaitForExit();
    _ = stdout.Result;
}

static TimeSpan Time(Action action, int runs)
{
    var best = TimeSpan.MaxValue;
    for (var i = 0; i < runs; i++)
    {
        var clock = Stopwatch.StartNew();
        action();
        best = clock.Elapsed < best ? clock.Elapsed : best;
    }

    return best;
}

// A base of 2,000 resources (Deployments, Services, ConfigMaps) under an overlay with the common transformers.
static void WriteLarge(string dir, int count)
{
    var baseDir = Path.Combine(dir, "base");
    Directory.CreateDirectory(baseDir);
    var sb = new StringBuilder();
    for (var i = 0; i < count / 4; i++)
    {
        sb.Append($"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app{i}
              labels:
                app: app{i}
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: app{i}
              template:
                metadata:
                  labels:
                    app: app{i}
                spec:
                  containers:
                  - name: main
                    image: nginx:1.25
                    envFrom:
                    - configMapRef:
                        name: cfg{i}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: app{i}
            spec:
              selector:
                app: app{i}
              ports:
              - port: 80
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cfg{i}
            data:
              key: value{i}
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: sa{i}
            ---

            """);
    }

    File.WriteAllText(Path.Combine(baseDir, "resources.yaml"), sb.ToString());
    File.WriteAllText(Path.Combine(baseDir, "kustomization.yaml"), "resources:\n- resources.yaml\n");
    File.WriteAllText(Path.Combine(dir, "kustomization.yaml"), """
        resources:
        - base
        namespace: bench
        namePrefix: p-
        commonLabels:
          team: bench
        commonAnnotations:
          owner: weir
        images:
        - name: nginx
          newTag: "1.27"
        """);
}

static string FindCorpus()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Weir.slnx")))
        {
            return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "corpus"));
        }
    }

    throw new InvalidOperationException("Weir.slnx not found; pass the corpus directory as the first argument");
}
