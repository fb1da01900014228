using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Runtime.Apply;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir tree kustomization NAME [--compact] [-o json|yaml]</c>: the objects a Kustomization applied, from its
/// inventory, recursing into the Kustomizations it manages; drawn with flux's <c>├── │ └──</c> glyphs.
/// </summary>
public static class TreeCommand
{
    public sealed record Node(string Resource, List<Node> Resources);

    public static Command Create()
    {
        var kube = new KubeOptions();
        var name = new Argument<string>("NAME") { Description = "Kustomization name" };
        var compact = new Option<bool>("--compact") { Description = "List only Flux objects" };
        var output = new Option<string>("--output", "-o") { Description = "Output format: tree, json or yaml", DefaultValueFactory = _ => "tree" };
        output.AcceptOnlyFromAmong("tree", "json", "yaml");
        var ks = new Command("kustomization", "Print the resources reconciled by a Kustomization") { name, compact, output };
        ks.Aliases.Add("ks");
        ks.SetAction(async (parse, token) =>
        {
            var query = new FluxQuery(kube.Connect(parse));
            var key = new ObjectKey(kube.Ns(parse), parse.GetValue(name)!);
            var root = await BuildAsync(query, key, parse.GetValue(compact), [], token);
            Console.Out.Write(parse.GetValue(output) switch
            {
                "json" => ToJson(root).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n",
                "yaml" => Weir.Core.Yaml.KubeYaml.Serialize(ToJson(root)),
                _ => Render(root),
            });
            return CliAction.Ok;
        });
        return kube.AddTo(new Command("tree", "Print the resources reconciled by Flux objects") { ks });
    }

    public static async Task<Node> BuildAsync(FluxQuery query, ObjectKey key, bool compact, HashSet<ObjectKey> visited, CancellationToken token)
    {
        var obj = await query.GetAsync(FluxKind.Kustomization, key, token);
        var node = new Node($"Kustomization/{key.Namespace}/{key.Name}", []);
        visited.Add(key);
        foreach (var entry in Inventory.Read(obj)?.Entries ?? [])
        {
            var isFlux = entry.Group.EndsWith(".toolkit.fluxcd.io", StringComparison.Ordinal);
            if (compact && !isFlux)
            {
                continue;
            }

            var entryKey = new ObjectKey(entry.Namespace, entry.Name);
            if (entry.Kind == "Kustomization" && isFlux && !visited.Contains(entryKey)
                && await query.Client.GetAsync(FluxKind.Kustomization.Resource, entryKey, token) is not null)
            {
                node.Resources.Add(await BuildAsync(query, entryKey, compact, visited, token));
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
