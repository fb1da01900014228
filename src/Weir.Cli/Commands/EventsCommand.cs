using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Cluster.Printing;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir events [--for Kind/name] [-A] [-w] [--types Normal,Warning]</c>: Kubernetes Events as flux prints them
/// (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE), oldest first; <c>--for</c> adds the events of the object's source.
/// </summary>
public static class EventsCommand
{
    private static readonly string[] Headers = ["Last seen", "Type", "Reason", "Object", "Message"];

    public static Command Create()
    {
        var kube = new KubeOptions();
        var forObject = new Option<string?>("--for") { Description = "Only events of this object and its source: Kind/name" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Events of every namespace" };
        var watch = new Option<bool>("--watch", "-w") { Description = "Keep printing new events" };
        var types = new Option<string?>("--types") { Description = "Comma-separated event types: Normal, Warning" };
        var command = kube.AddTo(new Command("events", "Display Kubernetes events for Flux resources") { forObject, all, watch, types });
        command.SetAction(async (parse, token) =>
        {
            var client = kube.Connect(parse);
            var ns = parse.GetValue(all) ? null : kube.Ns(parse);
            var typeFilter = ParseTypes(parse.GetValue(types));
            var targets = parse.GetValue(forObject) is { } spec ? await TargetsAsync(client, spec, kube.Ns(parse), token) : null;
            bool Selected(JsonObject e) =>
                (typeFilter is null || typeFilter.Contains(FluxKind.Str(e["type"])))
                && (targets is null || targets.Contains(Involved(e)));

            var (items, resourceVersion) = await client.ListAsync(KubeResource.Event, ns, cancellationToken: token);
            var events = items.Where(Selected).OrderBy(Time).ToList();
            var showNamespace = ns is null || (targets is not null && events.Any(e => e.Namespace() != kube.Ns(parse)));
            var now = DateTimeOffset.UtcNow;
            if (events.Count > 0)
            {
                Console.Out.Write(FluxTable.Render(showNamespace ? ["Namespace", .. Headers] : Headers, [.. events.Select(e => Row(e, showNamespace, now))]));
            }
            else if (!parse.GetValue(watch))
            {
                CliLog.Stderr.Failure(ns is null ? "No events found." : $"No events found in {ns} namespace.");
            }

            if (!parse.GetValue(watch))
            {
                return CliAction.Ok;
            }

            Console.Out.Flush();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(kube.TimeoutOf(parse));
            try
            {
                while (!timeout.IsCancellationRequested)
                {
                    await foreach (var e in client.WatchAsync(KubeResource.Event, ns, resourceVersion, cancellationToken: timeout.Token))
                    {
                        resourceVersion = e.Object.ResourceVersion();
                        if (e.Type is WatchEventType.Added or WatchEventType.Modified && Selected(e.Object))
                        {
                            Console.Out.Write(FluxTable.Render(null, [Row(e.Object, showNamespace, DateTimeOffset.UtcNow)]));
                            Console.Out.Flush();
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // --timeout reached.
            }

            return CliAction.Ok;
        });
        return command;
    }

    private static HashSet<string>? ParseTypes(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var set = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        foreach (var t in set.Where(t => t is not ("Normal" or "Warning")))
        {
            throw new CliUsageException($"type '{t}' not supported. Supported types are Normal, Warning");
        }

        return set;
    }

    /// <summary>The object named by <c>--for</c> and, for a Flux object with a source, that source: as "Kind/namespace/name".</summary>
    private static async Task<HashSet<string>> TargetsAsync(ResourceClient client, string spec, string ns, CancellationToken token)
    {
        var parts = spec.Split('/');
        if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            throw new CliUsageException("--for selector must be of format <kind>/<name>");
        }

        var kind = FluxKind.Find(parts[0]);
        var targets = new HashSet<string>(StringComparer.Ordinal) { $"{kind?.Kind ?? parts[0]}/{ns}/{parts[1]}" };
        if (kind is not null && await client.GetAsync(kind.Resource, new ObjectKey(ns, parts[1]), token) is { } obj
            && SourceReference.Of(obj) is { } source)
        {
            targets.Add($"{source.Kind.Kind}/{source.Key.Namespace}/{source.Key.Name}");
        }

        return targets;
    }

    private static string Involved(JsonObject e) =>
        $"{FluxKind.Str(e["involvedObject"]?["kind"])}/{FluxKind.Str(e["involvedObject"]?["namespace"])}/{FluxKind.Str(e["involvedObject"]?["name"])}";

    private static DateTimeOffset Time(JsonObject e) =>
        Parse(e["lastTimestamp"]) ?? Parse(e["eventTime"]) ?? Parse(e["firstTimestamp"]) ?? Parse(e["metadata"]?["creationTimestamp"]) ?? DateTimeOffset.MinValue;

    private static DateTimeOffset? Parse(JsonNode? node) =>
        FluxKind.Str(node) is { Length: > 0 } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>flux's LAST SEEN: the age, or "&lt;last&gt; (x&lt;count&gt; over &lt;first&gt;)" for repeated events.</summary>
    private static string LastSeen(JsonObject e, DateTimeOffset now)
    {
        var first = Parse(e["eventTime"]) ?? Parse(e["firstTimestamp"]);
        var firstText = first is { } f ? HumanAge.Since(f, now) : "<unknown>";
        var count = e["count"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
        if (e["series"] is JsonObject series)
        {
            var last = Parse(series["lastObservedTime"]);
            return $"{(last is { } l ? HumanAge.Since(l, now) : "<unknown>")} (x{series["count"]} over {firstText})";
        }

        return count > 1 && Parse(e["lastTimestamp"]) is { } lastSeen ? $"{HumanAge.Since(lastSeen, now)} (x{count} over {firstText})" : firstText;
    }

    private static string[] Row(JsonObject e, bool showNamespace, DateTimeOffset now)
    {
        string[] cells =
        [
            LastSeen(e, now), FluxKind.Str(e["type"]), FluxKind.Str(e["reason"]),
            $"{FluxKind.Str(e["involvedObject"]?["kind"])}/{FluxKind.Str(e["involvedObject"]?["name"])}", FluxKind.Str(e["message"]).Trim(),
        ];
        return showNamespace ? [e.Namespace(), .. cells] : cells;
    }
}
