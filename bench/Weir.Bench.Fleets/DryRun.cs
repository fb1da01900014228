using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cluster;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Core.Yaml;

namespace Weir.Bench.Fleets;

/// <summary>
/// Phase 3: every object the Flux builds produced, server-side dry-run on a fresh <c>weir cluster</c> (the embedded
/// API server) with kubectl: CustomResourceDefinitions applied first, then the namespaces the objects live in, then
/// everything else with <c>kubectl apply --server-side --dry-run=server</c>. Failures are grouped by cause.
/// </summary>
public static partial class DryRun
{
    public sealed record Result(int Objects, int Passed, IReadOnlyDictionary<string, List<string>> Failures);

    public static async Task<Result> RunAsync(string kubectl, IReadOnlyCollection<JsonObject> objects)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "weir-fleet-" + Guid.NewGuid().ToString("N"));
        var server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = dataDir });
        try
        {
            var env = new Dictionary<string, string> { ["KUBECONFIG"] = server.KubeconfigPath! };
            var crds = objects.Where(o => o.Kind() == "CustomResourceDefinition").ToList();
            var namespaces = objects.Where(o => o.Kind() == "Namespace").Select(o => o.Name())
                .Concat(objects.Select(o => o.Namespace()).Where(n => n.Length > 0)).Distinct().Order().ToList();
            // Flux's own kinds first, as installing Flux would serve them; then the repository's CRDs.
            Apply(kubectl, env, [.. CrdCatalog.All().Select(c => (JsonObject)c.DeepClone())], dryRun: false);
            if (crds.Count > 0)
            {
                Apply(kubectl, env, crds, dryRun: false);
            }

            Tool.Run(kubectl, ["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"], env: env);

            Apply(kubectl, env, [.. namespaces.Select(n => new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = n } })],
                dryRun: false);

            var rest = objects.Where(o => o.Kind() is not ("CustomResourceDefinition" or "Namespace")).ToList();
            var failures = new Dictionary<string, List<string>>();
            var passed = crds.Count + objects.Count(o => o.Kind() == "Namespace");
            foreach (var chunk in rest.Chunk(200))
            {
                var (_, stdout, stderr) = Apply(kubectl, env, chunk, dryRun: true);
                if (Environment.GetEnvironmentVariable("WEIR_FLEETS_DEBUG") is not null)
                {
                    Console.Error.WriteLine(stdout + stderr);
                }

                passed += stdout.Split('\n').Count(l => l.Contains("(server dry run)", StringComparison.Ordinal));
                foreach (Match m in NoMatch().Matches(stderr))
                {
                    Fail(failures, $"no CRD in the repository for {m.Groups[2].Value.Split('/')[0]} (a chart installs it)", m.Value);
                }

                foreach (var line in stderr.Split('\n').Where(l => l.StartsWith("Error", StringComparison.OrdinalIgnoreCase)))
                {
                    Fail(failures, line.Contains("${", StringComparison.Ordinal) ? "a ${VARIABLE} left for its Flux Kustomization to substitute" : line, line);
                }
            }

            return new Result(objects.Count, passed, failures);
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static void Fail(Dictionary<string, List<string>> failures, string cause, string line) =>
        (failures.TryGetValue(cause, out var list) ? list : failures[cause] = []).Add(line);

    private static (int, string, string) Apply(string kubectl, Dictionary<string, string> env, IEnumerable<JsonObject> objects, bool dryRun)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, KubeYaml.SerializeAll(objects));
            List<string> args = ["apply", "--server-side", "--force-conflicts", "--field-manager=kustomize-controller", "-f", file];
            if (dryRun)
            {
                args.Add("--dry-run=server");
            }

            return Tool.Run(kubectl, args, env: env, timeout: TimeSpan.FromMinutes(5));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex("no matches for kind \"([^\"]+)\" in version \"([^\"]+)\"")]
    private static partial Regex NoMatch();
}
