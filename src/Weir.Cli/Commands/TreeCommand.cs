using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Runtime.Apply;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir tree kustomization|helmrelease NAME [--compact] [-o json|yaml]</c>: the objects a Kustomization applied
/// (its inventory) or a HelmRelease released (its Helm release's manifest), recursing into the Kustomizations and
/// HelmReleases among them; drawn with flux's <c>├── │ └──</c> glyphs.
/// </summary>
public static class TreeCommand
{
    public sealed record Node(string Resource, List<Node> Resources);

    public static Command Create()
    {
        var kube = new KubeOptions();
        var tree = kube.AddTo(new Command("tree", "Print the resources reconciled by Flux objects"));
        foreach (var kind in FluxKind.Appliers)
        {
            tree.Subcommands.Add(Leaf(kube, kind));
        }

        return tree;
    }

    private static Command Leaf(KubeOptions kube, FluxKind kind)
    {
        var name = new Argument<string>("NAME") { Description = $"{kind.Kind} name" };
        var compact = new Option<bool>("--compact") { Description = "List only Flux objects" };
        var output = new Option<string>("--output", "-o") { Description = "Output format: tree, json or yaml", DefaultValueFactory = _ => "tree" };
        output.AcceptOnlyFromAmong("tree", "json", "yaml");
        var command = new Command(kind.Noun, $"Print the resources reconciled by a {kind.Kind}") { name, compact, output };
        foreach (var alias in KindTree.Aliases(kind))
        {
            command.Aliases.Add(alias);
        }

        command.SetAction(async (parse, token) =>
        {
            var query = new FluxQuery(kube.Connect(parse));
            var key = new ObjectKey(kube.Ns(parse), parse.GetValue(name)!);
            var root = await BuildAsync(query, kind, key, parse.GetValue(compact), [], token);
            Console.Out.Write(parse.GetValue(output) switch
            {
                "json" => ToJson(root).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n",
                "yaml" => Weir.Core.Yaml.KubeYaml.Serialize(ToJson(root)),
                _ => Render(root),
            });
            return CliAction.Ok;
        });
        return command;
    }

    /// <summary>
    /// The tree under a Kustomization (its inventory) or a HelmRelease (the objects of its current Helm release),
    /// recursing into the Kustomizations and HelmReleases found there.
    /// </summary>
    public static async Task<Node> BuildAsync(FluxQuery query, FluxKind kind, ObjectKey key, bool compact, HashSet<(FluxKind, ObjectKey)> visited, CancellationToken token)
    {
        var obj = await query.GetAsync(kind, key, token);
        var node = new Node($"{kind.Kind}/{key.Namespace}/{key.Name}", []);
        visited.Add((kind, key));
        var entries = kind == FluxKind.HelmRelease
            ? await ReleaseObjects.ReadAsync(query.Client, obj, token)
            : Inventory.Read(obj)?.Entries ?? [];
        foreach (var entry in entries)
        {
            var isFlux = entry.Group.EndsWith(".toolkit.fluxcd.io", StringComparison.Ordinal);
            if (compact && !isFlux)
            {
                continue;
            }

            var entryKey = new ObjectKey(entry.Namespace, entry.Name);
            var child = isFlux ? FluxKind.Appliers.FirstOrDefault(a => a.Kind == entry.Kind) : null;
            if (child is not null && !visited.Contains((child, entryKey))
                && await query.Client.GetAsync(child.Resource, entryKey, token) is not null)
            {
                node.Resources.Add(await BuildAsync(query, child, entryKey, compact, visited, token));
            }
            else
            {
                node.Resources.Add(new Node(entry.Subject, []));
            }
        }

        return node;
    }

    public static string Render(Node root)
    {
        var sb = new StringBuilder().Append(root.Resource).Append('\n');
        Children(sb, root, "");
        return sb.ToString();
    }

    private static void Children(StringBuilder sb, Node node, string indent)
    {
        for (var i = 0; i < node.Resources.Count; i++)
        {
            var last = i == node.Resources.Count - 1;
            sb.Append(indent).Append(last ? "└── " : "├── ").Append(node.Resources[i].Resource).Append('\n');
            Children(sb, node.Resources[i], indent + (last ? "    " : "│   "));
        }
    }

    private static JsonObject ToJson(Node node)
    {
        var obj = new JsonObject { ["resource"] = node.Resource };
        if (node.Resources.Count > 0)
        {
            obj["resources"] = new JsonArray([.. node.Resources.Select(ToJson)]);
        }

        return obj;
    }
}
