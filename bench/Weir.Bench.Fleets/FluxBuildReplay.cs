using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Kustomize.Flux;
using Weir.Sources.ArtifactGenerators;

namespace Weir.Bench.Fleets;

/// <summary>
/// Phase 2: every Flux Kustomization of the repository built by Weir's <see cref="ManifestBuilder"/> (kustomize + the
/// spec's layer + post-build substitution, non-strict as drone/envsubst is), and replayed independently: the spec's
/// layer written into the kustomization file as kustomize-controller does, <c>kubectl kustomize</c>, then each
/// document through the envsubst oracle (drone/envsubst) with the same variables. <c>substituteFrom</c> reads the
/// repository's own ConfigMaps and Secrets by name (sops-encrypted ones cannot be read).
/// </summary>
public sealed class FluxBuildReplay(string kubectl, string envsubstOracle)
{
    private const string DisableKey = "kustomize.toolkit.fluxcd.io/substitute";

    public int Kustomizations { get; private set; }

    public int Agreed { get; private set; }

    public int Skipped { get; private set; }

    public List<Difference> Differences { get; } = [];

    public List<Difference> SkipReasons { get; } = [];

    /// <summary>Every object Weir built, by key, for the dry-run phase.</summary>
    public Dictionary<string, JsonObject> Built { get; } = [];

    public async Task RunAsync(string root)
    {
        var objects = FleetFiles.Objects(root).ToList();
        var configs = objects.Where(o => o.Object.Kind() is "ConfigMap" or "Secret" && o.Object.ApiVersion() == "v1")
            .GroupBy(o => (o.Object.Kind(), o.Object.Name())).ToDictionary(g => g.Key, g => FleetFiles.Data(g.First().Object));
        var kustomizations = objects.Where(o => o.Object.Kind() == "Kustomization" && o.Object.ApiVersion().StartsWith("kustomize.toolkit.fluxcd.io/", StringComparison.Ordinal))
            .Select(o => o.Object).ToList();
        Kustomizations = kustomizations.Count;
        Task<IReadOnlyDictionary<string, string>?> Lookup(string kind, ObjectKey key, CancellationToken _) =>
            Task.FromResult(configs.TryGetValue((kind, key.Name), out var data) ? data : null);

        var generated = await GenerateAsync(root, objects.Select(o => o.Object));
        foreach (var ks in kustomizations)
        {
            var name = $"{ks.Namespace()}/{ks.Name()}";
            var path = ks["spec"]?["path"]?.GetValue<string>() ?? "";
            var sourceRoot = root;
            if (ks["spec"]?["sourceRef"]?["kind"]?.GetValue<string>() == "ExternalArtifact")
            {
                if (!generated.TryGetValue(ks["spec"]?["sourceRef"]?["name"]?.GetValue<string>() ?? "", out var artifactRoot))
                {
                    Skip(name, "its ExternalArtifact is not generated from this repository");
                    continue;
                }

                sourceRoot = artifactRoot;
            }

            var dir = Path.GetFullPath(Path.Combine(sourceRoot, path));
            if (path.Contains('$') || !Directory.Exists(dir) || !dir.StartsWith(sourceRoot, StringComparison.Ordinal))
            {
                Skip(name, path.Contains('$') ? $"path `{path}` is substituted by its parent" : $"path `{path}` is not in this repository");
                continue;
            }

            if (FleetFiles.KustomizationFile(dir) is null)
            {
                Skip(name, $"`{path}` has no kustomization file (Flux generates one; kubectl cannot build it)");
                continue;
            }

            BuiltManifests built;
            try
            {
                built = await new ManifestBuilder(Lookup, strictSubstitutions: false).BuildAsync(ks, dir, sourceRoot, CancellationToken.None);
            }
            catch (ManifestBuildException e)
            {
                Skip(name, $"Weir: {KustomizeReplay.FirstLine(e.Message)}");
                continue;
            }

            foreach (var obj in built.Objects)
            {
                Built[$"{obj.ApiVersion()}/{obj.Kind()}/{obj.Namespace()}/{obj.Name()}"] = obj;
            }

            var replayed = Replay(ks, dir, await VariablesAsync(ks, Lookup));
            if (replayed.Error is { } error)
            {
                Differences.Add(new Difference(name, $"Weir builds, the replay fails: {error}"));
                continue;
            }

            var mismatch = Compare(replayed.Objects!, built.Objects);
            if (mismatch is null)
            {
                Agreed++;
            }
            else
            {
                Differences.Add(new Difference(name, mismatch));
            }
        }
    }

    /// <summary>Generated ExternalArtifacts of the repository's ArtifactGenerators (sources read as this repository), by name.</summary>
    public Dictionary<string, string> GeneratedArtifacts { get; } = [];

    private async Task<Dictionary<string, string>> GenerateAsync(string root, IEnumerable<JsonObject> objects)
    {
        var work = Directory.CreateTempSubdirectory("weir-fleet-generated-").FullName;
        foreach (var generator in objects.Where(o => o.Kind() == ArtifactGenerator.KindName))
        {
            var spec = ApiObjects.Read<ArtifactGenerator>(generator).Spec ?? new ArtifactGeneratorSpec();
            var sources = (spec.Sources ?? []).ToDictionary(s => s.Alias ?? "", _ => root);
            foreach (var request in PathPattern.Expand(spec, sources))
            {
                var dir = Directory.CreateDirectory(Path.Combine(work, generator.Name(), request.Name)).FullName;
                await new CopyOperations(sources, dir).ApplyAsync(request.Artifact.Copy ?? [], CancellationToken.None);
                GeneratedArtifacts[request.Name] = dir;
            }
        }

        return GeneratedArtifacts;
    }

    private void Skip(string name, string reason)
    {
        Skipped++;
        SkipReasons.Add(new Difference(name, reason));
    }

    private static async Task<Dictionary<string, string>?> VariablesAsync(JsonObject ks, SubstituteVariables lookup)
    {
        if (ks["spec"]?["postBuild"] is not JsonObject postBuild)
        {
            return null;
        }

        var vars = new Dictionary<string, string>();
        foreach (var from in postBuild["substituteFrom"] as JsonArray ?? [])
        {
            var data = await lookup(from?["kind"]?.GetValue<string>() ?? "", new ObjectKey(ks.Namespace(), from?["name"]?.GetValue<string>() ?? ""), default);
            foreach (var (k, v) in data ?? new Dictionary<string, string>())
            {
                vars[k] = v;
            }
        }

        foreach (var (k, v) in postBuild["substitute"] as JsonObject ?? [])
        {
            vars[k] = v?.ToString() ?? "";
        }

        return vars;
    }

    /// <summary>kubectl kustomize over the kustomization file with the spec's layer added, then envsubst per document.</summary>
    private (List<JsonObject>? Objects, string? Error) Replay(JsonObject ks, string dir, Dictionary<string, string>? vars)
    {
        var file = FleetFiles.KustomizationFile(dir)!;
        var original = File.ReadAllText(file);
        var spec = ks["spec"] as JsonObject ?? [];
        string output;
        try
        {
            var kustomization = KubeYaml.Parse(original) as JsonObject ?? [];
            var layered = false;
            foreach (var (field, target) in new[] { ("targetNamespace", "namespace"), ("namePrefix", "namePrefix"), ("nameSuffix", "nameSuffix") })
            {
                if (spec[field]?.GetValue<string>() is { Length: > 0 } value)
                {
                    kustomization[target] = value;
                    layered = true;
                }
            }

            foreach (var field in new[] { "patches", "images", "components" })
            {
                if (spec[field] is JsonArray extra && extra.Count > 0)
                {
                    var list = kustomization[field] as JsonArray ?? [];
                    foreach (var item in extra)
                    {
                        list.Add(item?.DeepClone());
                    }

                    kustomization[field] = list;
                    layered = true;
                }
            }

            if (layered)
            {
                File.WriteAllText(file, kustomization.ToJsonString());
            }

            var (code, stdout, stderr) = Tool.Run(kubectl, ["kustomize", dir, "--load-restrictor", "LoadRestrictionsNone"]);
            if (code != 0)
            {
                return (null, $"kubectl: {KustomizeReplay.FirstLine(stderr)}");
            }

            output = stdout;
        }
        finally
        {
            File.WriteAllText(file, original);
        }

        var documents = output.Split("\n---\n").Select(d => d.EndsWith('\n') ? d : d + "\n").Where(d => d.Trim().Length > 0).ToList();
        var objects = new List<JsonObject>();
        var substitute = vars is { Count: > 0 } || spec["postBuild"]?["substituteStrategy"]?.GetValue<string>() == "Always";
        var pending = new List<int>();
        var texts = new List<string>();
        foreach (var document in documents)
        {
            var obj = (JsonObject)KubeYaml.ParseFirst(document, new YamlOptions { Dialect = YamlDialect.Kyaml })!;
            objects.Add(obj);
            if (substitute && obj.Annotation(DisableKey) != "disabled" && obj.Label(DisableKey) != "disabled")
            {
                pending.Add(objects.Count - 1);
                texts.Add(document);
            }
        }

        if (pending.Count > 0)
        {
            var answers = Envsubst(texts, vars ?? []);
            for (var i = 0; i < pending.Count; i++)
            {
                if (answers[i].Error is { } error)
                {
                    return (null, $"envsubst: {error}");
                }

                objects[pending[i]] = (JsonObject)KubeYaml.ParseFirst(answers[i].Output!)!;
            }
        }

        foreach (var obj in objects)
        {
            foreach (var (key, target) in new[] { ("labels", "labels"), ("annotations", "annotations") })
            {
                foreach (var (k, v) in spec["commonMetadata"]?[key] as JsonObject ?? [])
                {
                    var meta = obj["metadata"] as JsonObject ?? [];
                    var map = meta[target] as JsonObject ?? [];
                    map[k] = v?.ToString();
                    meta[target] = map;
                }
            }
        }

        return (objects, null);
    }

    private List<(string? Output, string? Error)> Envsubst(List<string> inputs, Dictionary<string, string> vars)
    {
        var variables = JsonSerializer.SerializeToNode(vars)!;
        var lines = string.Concat(inputs.Select(i => new JsonObject { ["input"] = i, ["vars"] = variables.DeepClone() }.ToJsonString() + "\n"));
        var (code, stdout, stderr) = Tool.Run(envsubstOracle, [], input: lines);
        if (code != 0)
        {
            throw new InvalidOperationException($"envsubst oracle failed: {stderr}");
        }

        return [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)
            .Select(a => (a["output"]?.GetValue<string>(), a["error"]?.GetValue<string>()))];
    }

    private static string? Compare(List<JsonObject> expected, IReadOnlyList<JsonObject> actual)
    {
        if (expected.Count != actual.Count)
        {
            return $"{expected.Count} objects in the replay, {actual.Count} from Weir";
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (FirstDifference(expected[i], actual[i], "") is { } where)
            {
                return $"{expected[i].Kind()}/{expected[i].Name()} differs at {where}";
            }
        }

        return null;
    }

    // The first path where two objects differ, with both values (long strings shown around their first difference).
    private static string? FirstDifference(JsonNode? expected, JsonNode? actual, string path)
    {
        if (JsonNode.DeepEquals(expected, actual))
        {
            return null;
        }

        if (expected is JsonObject e && actual is JsonObject a)
        {
            foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
            {
                if (FirstDifference(e[key], a[key], $"{path}.{key}") is { } inner)
                {
                    return inner;
                }
            }
        }

        if (expected is JsonArray ea && actual is JsonArray aa && ea.Count == aa.Count)
        {
            for (var i = 0; i < ea.Count; i++)
            {
                if (FirstDifference(ea[i], aa[i], $"{path}[{i}]") is { } inner)
                {
                    return inner;
                }
            }
        }

        var left = expected?.ToJsonString() ?? "null";
        var right = actual?.ToJsonString() ?? "null";
        var at = 0;
        while (at < left.Length && at < right.Length && left[at] == right[at])
        {
            at++;
        }

        var from = Math.Max(0, at - 40);
        return $"`{path}`: replay …{left[from..Math.Min(left.Length, at + 60)]}… / Weir …{right[from..Math.Min(right.Length, at + 60)]}…";
    }
}
