using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir build kustomization NAME --path DIR [--dry-run]</c> prints what the Kustomization would apply from a
/// local directory; <c>weir diff kustomization NAME --path DIR</c> compares a server-side dry-run apply of it with
/// the live objects. diff exits 0 without differences, 1 with, 2 on errors (flux: &gt;1).
/// </summary>
public static class BuildDiffCommands
{
    public static Command Build()
    {
        var kube = new KubeOptions();
        var (command, name, path, file, strict) = Leaf("Build a Kustomization's manifests locally");
        var dryRun = new Option<bool>("--dry-run") { Description = "Do not contact the cluster: take the spec from --kustomization-file (or an empty one)" };
        command.Options.Add(dryRun);
        command.SetAction(async (parse, token) =>
        {
            var client = parse.GetValue(dryRun) ? null : kube.Connect(parse);
            var kustomization = await SpecAsync(client, kube.Ns(parse), parse.GetValue(name)!, parse.GetValue(file), token);
            var objects = await KustomizationBuild.BuildAsync(kustomization, parse.GetValue(path)!, client, token, parse.GetValue(strict));
            foreach (var obj in objects)
            {
                SecretMask.ForBuild(obj);
            }

            Console.Out.Write(KubeYaml.SerializeAll(objects));
            return CliAction.Ok;
        });
        return kube.AddTo(new Command("build", "Build Flux resources locally") { command });
    }

    public static Command Diff()
    {
        var kube = new KubeOptions();
        var (command, name, path, file, strict) = Leaf("Diff a Kustomization's local manifests against the cluster");
        command.SetAction(async (parse, token) =>
        {
            try
            {
                var client = kube.Connect(parse);
                var kustomization = await SpecAsync(client, kube.Ns(parse), parse.GetValue(name)!, parse.GetValue(file), token);
                var objects = await KustomizationBuild.BuildAsync(kustomization, parse.GetValue(path)!, client, token, parse.GetValue(strict));
                return await DiffAsync(client, kustomization, objects, token) ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // 1 means "differences found", so a failure exits 2 (flux diff: >1).
                throw new CliExitCode(CliAction.Usage, e);
            }
        });
        return kube.AddTo(new Command("diff", "Diff Flux resources against the cluster") { command });
    }

    private static (Command Command, Argument<string> Name, Option<string> Path, Option<string?> File, Option<bool> Strict) Leaf(string description)
    {
        var name = new Argument<string>("NAME") { Description = "Kustomization name" };
        var path = new Option<string>("--path") { Description = "Local directory to build", Required = true };
        var file = new Option<string?>("--kustomization-file") { Description = "A Kustomization manifest to take the spec from instead of the cluster" };
        var strict = new Option<bool>("--strict-substitute") { Description = "Fail when a post-build variable without default is not set" };
        var command = new Command("kustomization", description) { name, path, file, strict };
        command.Aliases.Add("ks");
        return (command, name, path, file, strict);
    }

    /// <summary>The Kustomization whose spec drives the build: from a file, from the cluster, or an empty one (dry run).</summary>
    private static async Task<JsonObject> SpecAsync(ResourceClient? client, string ns, string name, string? file, CancellationToken token)
    {
        if (file is not null)
        {
            var doc = KubeYaml.ParseAll(await File.ReadAllTextAsync(file, token)).OfType<JsonObject>()
                .FirstOrDefault(d => d.Kind() == "Kustomization" && d.Name() == name)
                ?? throw new CliException($"no Kustomization '{name}' in {file}");
            if (doc.Namespace().Length == 0)
            {
                doc.SetNamespace(ns);
            }

            return doc;
        }

        if (client is null)
        {
            return new JsonObject { ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1", ["kind"] = "Kustomization", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns }, ["spec"] = new JsonObject() };
        }

        return await new FluxQuery(client).GetAsync(FluxKind.Kustomization, new ObjectKey(ns, name), token);
    }

    /// <summary>Prints flux's <c>► Kind/ns/name created|drifted|deleted</c> lines and field diffs; true when anything differs.</summary>
    private static async Task<bool> DiffAsync(ResourceClient client, JsonObject kustomization, IReadOnlyList<JsonObject> objects, CancellationToken token)
    {
        var resolver = new KindResolver(client);
        var differs = false;
        var built = new HashSet<string>(StringComparer.Ordinal);
        foreach (var obj in objects)
        {
            var resource = await resolver.ResolveAsync(obj.Kind(), obj.ApiVersion(), token)
                ?? throw new CliException($"{obj.Kind()}/{obj.Name()}: no matches for kind \"{obj.Kind()}\" in version \"{obj.ApiVersion()}\"");
            if (resource.Namespaced && obj.Namespace().Length == 0)
            {
                obj.SetNamespace(kustomization.Namespace());
            }

            var id = resource.Namespaced ? $"{obj.Kind()}/{obj.Namespace()}/{obj.Name()}" : $"{obj.Kind()}/{obj.Name()}";
            built.Add(id);
            var live = await client.GetAsync(resource, obj.Key(), token);
            if (live is null)
            {
                Console.Out.WriteLine($"► {id} created");
                differs = true;
                continue;
            }

            var dryRun = await client.ApplyAsync(resource, obj, token);
            var changes = ObjectDiff.Compare(live, dryRun);
            if (changes.Count > 0)
            {
                Console.Out.WriteLine($"► {id} drifted");
                Console.Out.WriteLine(ObjectDiff.Render(changes));
                differs = true;
            }
        }

        if (kustomization["spec"]?["prune"]?.GetValue<bool>() == true)
        {
            foreach (var entry in InventoryEntry.Of(kustomization).Where(e => !built.Contains(e.ToString())))
            {
                Console.Out.WriteLine($"► {entry} deleted");
                differs = true;
            }
        }

        return differs;
    }
}
