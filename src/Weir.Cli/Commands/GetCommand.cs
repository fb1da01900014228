using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Cluster.Printing;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir get sources oci|git|helm|chart|bucket|all</c>, <c>get kustomizations|ks</c>, <c>get helmreleases|hr</c>,
/// <c>get all</c>: flux's status tables (NAME REVISION SUSPENDED READY MESSAGE, NAMESPACE first with -A) plus a
/// LAST RECONCILED column, or the same summaries as JSON/YAML.
/// </summary>
public sealed class GetCommand
{
    private readonly KubeOptions _kube = new();
    private readonly Option<bool> _allNamespaces = new("--all-namespaces", "-A") { Description = "List the requested object(s) across all namespaces", Recursive = true };
    private readonly Option<bool> _noHeader = new("--no-header") { Description = "Skip the header when printing the results", Recursive = true };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "After listing/getting the requested object, watch for changes", Recursive = true };
    private readonly Option<string?> _statusSelector = new("--status-selector")
    {
        Description = "Filter by a status condition, e.g. ready=false or ready!=true",
        Recursive = true,
    };

    private readonly Option<string?> _labelSelector = new("--label-selector", "-l") { Description = "Filter objects by label selector", Recursive = true };
    private readonly Option<string> _output = new("--output", "-o") { Description = "Output format: table, json or yaml", DefaultValueFactory = _ => "table", Recursive = true };

    public static Command Create() => new GetCommand().Build();

    private Command Build()
    {
        _output.AcceptOnlyFromAmong("table", "json", "yaml");
        var get = _kube.AddTo(new Command("get", "Get the resources and their status")
        {
            _allNamespaces, _noHeader, _watch, _statusSelector, _labelSelector, _output,
        });
        var sources = new Command("sources", "Get source statuses");
        sources.Aliases.Add("source");
        foreach (var kind in FluxKind.Sources)
        {
            sources.Subcommands.Add(Leaf(kind.Noun, $"Get {kind.Kind} statuses", [kind]));
        }

        sources.Subcommands.Add(Leaf("all", "Get all source statuses", FluxKind.Sources, all: true));
        get.Subcommands.Add(sources);
        foreach (var kind in FluxKind.Appliers)
        {
            // flux names these by their plural: get kustomizations|kustomization|ks.
            get.Subcommands.Add(Leaf(kind.Resource.Plural, $"Get {kind.Kind} statuses", [kind], aliases: [kind.Noun, .. KindTree.Aliases(kind).Where(a => a != kind.Resource.Plural)]));
        }

        get.Subcommands.Add(Leaf("all", "Get all resources and statuses", FluxKind.All, all: true));
        return get;
    }

    private Command Leaf(string name, string description, IReadOnlyList<FluxKind> kinds, bool all = false, string[]? aliases = null)
    {
        var objectName = new Argument<string?>("NAME") { Description = "Object name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(name, description) { objectName };
        foreach (var alias in aliases ?? [])
        {
            command.Aliases.Add(alias);
        }

        command.SetAction((parse, token) => RunAsync(parse, kinds, all, parse.GetValue(objectName), token));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, IReadOnlyList<FluxKind> kinds, bool all, string? name, CancellationToken token)
    {
        var allNamespaces = parse.GetValue(_allNamespaces);
        var ns = allNamespaces ? null : _kube.Ns(parse);
        var filter = parse.GetValue(_statusSelector) is { Length: > 0 } selector ? FluxStatus.ParseStatusSelector(selector) : _ => true;
        var view = new StatusView(allNamespaces, IncludeKind: all, parse.GetValue(_noHeader));
        var query = new FluxQuery(_kube.Connect(parse));
        if (parse.GetValue(_watch))
        {
            if (all)
            {
                throw new CliUsageException("expected a single resource type, but found all");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(_kube.TimeoutOf(parse));
            await new StatusWatch(query, kinds[0], view, filter, parse.GetValue(_labelSelector), name, Console.Out).RunAsync(ns, timeout.Token, token);
            return CliAction.Ok;
        }

        var format = parse.GetValue(_output)!;
        var summaries = new List<FluxStatus>();
        foreach (var kind in kinds)
        {
            var objects = await query.ListAsync(kind, ns, parse.GetValue(_labelSelector), name, token);
            if (objects.Count == 0 && !all)
            {
                var where = allNamespaces ? "any" : $"\"{ns}\"";
                throw new CliException(name is null
                    ? $"no {kind.Kind} objects found in {where} namespace"
                    : $"{kind.Kind} object '{name}' not found in {where} namespace");
            }

            var selected = objects.Where(filter).Select(o => FluxStatus.From(kind, o)).ToList();
            summaries.AddRange(selected);
            if (format == "table" && (selected.Count > 0 || !all))
            {
                Console.Out.Write(view.Render(selected));
                if (all)
                {
                    Console.Out.Write('\n');
                }
            }

        }

        if (format != "table")
        {
            Console.Out.Write(StatusView.Serialize(summaries, format));
        }

        return CliAction.Ok;
    }
}

/// <summary>How a status table is laid out: NAMESPACE column, kind-prefixed names, header.</summary>
public sealed record StatusView(bool AllNamespaces, bool IncludeKind, bool NoHeader)
{
    public IReadOnlyList<string>? Headers() => NoHeader
        ? null
        : [.. AllNamespaces ? ["Namespace"] : Array.Empty<string>(), "Name", "Revision", "Suspended", "Ready", "Message", "Last reconciled"];

    public string[] Row(FluxStatus s, DateTimeOffset now)
    {
        var name = IncludeKind ? $"{s.Kind.Kind.ToLowerInvariant()}/{s.Name}" : s.Name;
        string[] cells =
        [
            name,
            s.Kind == FluxKind.HelmChart ? s.Revision : FluxStatus.TruncateHex(s.Revision),
            s.Suspended ? "True" : "False",
            s.Ready,
            FluxStatus.TruncateHex(s.Message),
            s.LastReconciled is { } at ? HumanAge.Since(at, now) + " ago" : "-",
        ];
        return AllNamespaces ? [s.Namespace, .. cells] : cells;
    }

    public string Render(IReadOnlyList<FluxStatus> statuses)
    {
        var now = DateTimeOffset.UtcNow;
        var readyColumn = AllNamespaces ? 4 : 3;
        return FluxTable.Render(Headers(), [.. statuses.Select(s => Row(s, now))], Terminal.Colour ? (i, cell) => i == readyColumn ? Colour(cell) : cell : null);
    }

    private static string Colour(string cell) => cell.TrimEnd() switch
    {
        "True" => Terminal.Green(cell),
        "False" => Terminal.Red(cell),
        _ => Terminal.Yellow(cell),
    };

    public static string Serialize(IReadOnlyList<FluxStatus> statuses, string format)
    {
        var array = new JsonArray([.. statuses.Select(s => (JsonNode)new JsonObject
        {
            ["kind"] = s.Kind.Kind,
            ["namespace"] = s.Namespace,
            ["name"] = s.Name,
            ["revision"] = s.Revision,
            ["suspended"] = s.Suspended,
            ["ready"] = s.Ready,
            ["message"] = s.Message,
            ["lastReconciled"] = s.LastReconciled is { } at ? Weir.Core.Time.KubeTime.Format(at) : null,
        })]);
        return format == "json"
            ? array.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n"
            : Weir.Core.Yaml.KubeYaml.Serialize(array);
    }
}
