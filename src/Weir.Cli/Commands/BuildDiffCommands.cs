using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Controllers.Kustomizations;
using Weir.Core.Api;
using Weir.Core.Api.Kustomize;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Kustomize.Flux;
using Weir.Runtime.Apply;
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
            var objects = await BuildAsync(kustomization, parse.GetValue(path)!, client, parse.GetValue(strict), token);
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
                var objects = await BuildAsync(kustomization, parse.GetValue(path)!, client, parse.GetValue(strict), token);
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

    /// <summary>
    /// The controller's build (<see cref="ManifestBuilder"/>) of a local directory, with its ownership labels;
    /// <c>substituteFrom</c> is read from the cluster, or skipped without one (<c>--dry-run</c>), as flux build does.
    /// </summary>
    private static async Task<IReadOnlyList<JsonObject>> BuildAsync(
        JsonObject kustomization, string path, ResourceClient? client, bool strictSubstitute, CancellationToken token)
    {
        if (!Directory.Exists(path))
        {
            throw new CliException($"invalid resource path \"{path}\"");
        }

        BuiltManifests built;
        try
        {
            var variables = client is null ? null : ClusterVariables.From(client);
            built = await new ManifestBuilder(variables, strictSubstitute).BuildAsync(kustomization, path, fence: null, token);
        }
        catch (ManifestBuildException e) when (e.PostBuildResource is { } resource)
        {
            throw new CliException($"var substitution failed for '{resource}': {e.InnerException!.Message}");
        }
        catch (ManifestBuildException e)
        {
            throw new CliException(e.Message);
        }

        ServerSideApplier.SetOwnerLabels(built.Objects, KustomizeApi.Group, kustomization.Name(), kustomization.Namespace());
        return built.Objects;
    }

    /// <summary>
    /// The applier's diff of the built objects against the cluster, printed as flux's
    /// <c>► Kind/ns/name created|drifted|deleted</c> lines with field blocks (Secret values masked); true when anything differs.
    /// </summary>
    private static async Task<bool> DiffAsync(ResourceClient client, JsonObject kustomization, IReadOnlyList<JsonObject> objects, CancellationToken token)
    {
        var mapper = new ResourceMapper(client);
        foreach (var obj in objects.Where(o => o.Namespace().Length == 0))
        {
            if (await NamespacedAsync(mapper, obj, token))
            {
                obj.SetNamespace(kustomization.Namespace());
            }
        }

        var spec = ApiObjects.Read<Kustomization>(kustomization).Spec ?? new KustomizationSpec();
        var applier = new ServerSideApplier(client, mapper, KustomizationReconciler.ControllerName);
        var entries = await applier.DiffAsync(objects, KustomizationApplyOptions.For(spec), token);
        var differs = false;
        foreach (var entry in entries)
        {
            if (entry.Action == ChangeAction.Created)
            {
                Console.Out.WriteLine($"► {entry.Object.Subject} created");
                differs = true;
            }
            else if (entry.Action == ChangeAction.Configured)
            {
                var before = (JsonObject)entry.Existing!.DeepClone();
                var after = (JsonObject)entry.DryRun!.DeepClone();
                SecretMask.ForDiff(before, after);
                Console.Out.WriteLine($"► {entry.Object.Subject} drifted");
                Console.Out.WriteLine(DriftPrinter.Render(Drift.Changes(before, after)));
                differs = true;
            }
        }

        if (spec.Prune == true)
        {
            var built = new Inventory(entries.Select(e => e.Object));
            foreach (var stale in (Inventory.Read(kustomization) ?? new Inventory()).StaleAgainst(built))
            {
                Console.Out.WriteLine($"► {stale.Subject} deleted");
                differs = true;
            }
        }

        return differs;
    }

    private static async Task<bool> NamespacedAsync(ResourceMapper mapper, JsonObject obj, CancellationToken token)
    {
        try
        {
            return (await mapper.MapAsync(obj.Gvk(), token)).Namespaced;
        }
        catch (NoKindMatchException)
        {
            return false; // the applier's dry-run reports the unknown kind
        }
    }
}
