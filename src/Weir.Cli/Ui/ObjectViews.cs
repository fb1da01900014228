using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cli.Commands;
using Weir.Cli.Flux;
using Weir.Cli.Status;
using Weir.Cluster.Printing;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>The text pages about one object: details, YAML, describe (with Events), history, trace and graph.</summary>
public sealed class ObjectViews(ResourceClient client)
{
    private const int LabelWidth = 26;

    public static IReadOnlyList<StyledLine> Yaml(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Metadata()?.Remove("managedFields");
        return Plain(KubeYaml.Serialize(copy));
    }

    /// <summary>Enter: what the row summarises, spelled out, plus the app's verdict when the object is part of one.</summary>
    public static IReadOnlyList<StyledLine> Details(FluxRow row, IEnumerable<(ObjectKey App, AppStatusAnswer Answer)> verdicts)
    {
        var s = row.Status;
        var lines = new List<StyledLine>
        {
            Field("Kind", s.Kind.Kind),
            Field("Namespace", s.Namespace),
            Field("Name", s.Name),
            new([new Span("Ready:".PadRight(LabelWidth)), new Span(s.Ready, row.Glyph.Tone)]),
            Field("Message", s.Message),
            Field("Revision", s.Revision),
            Field("Suspended", s.Suspended ? "True" : "False"),
            Field("Last reconciled", s.LastReconciled is { } at ? $"{HumanAge.Since(at, DateTimeOffset.UtcNow)} ago" : "-"),
            Field("Interval", FluxKind.Str(row.Object["spec"]?["interval"])),
        };
        if (FluxKind.Str(row.Object["spec"]?["url"]) is { Length: > 0 } url)
        {
            lines.Add(Field("URL", url));
        }

        if (SourceReference.Of(row.Object) is { } source)
        {
            lines.Add(Field("Source", $"{source.Kind.Kind}/{source.Key.Namespace}/{source.Key.Name}"));
        }

        var appName = row.Kind == FluxKind.OCIRepository ? row.Key : SourceReference.Of(row.Object) is { } src && src.Kind == FluxKind.OCIRepository ? src.Key : (ObjectKey?)null;
        foreach (var (app, answer) in verdicts.Where(v => v.App == appName))
        {
            lines.Add(StyledLine.Of(""));
            lines.AddRange(VerdictLines(app, answer));
        }

        return lines;
    }

    /// <summary>An app's verdict line then its chain, marked as <c>weir status</c> marks it.</summary>
    public static IEnumerable<StyledLine> VerdictLines(ObjectKey app, AppStatusAnswer answer)
    {
        if (answer.Report is not { } report)
        {
            yield return new([new Span($"{app.Name}  "), new Span(answer.Problem ?? "", Tone.Bad)]);
            yield break;
        }

        var tone = report.Verdict switch
        {
            Verdict.Live => Tone.Ok,
            Verdict.Pending => Tone.Warn,
            _ => Tone.Bad,
        };
        yield return new([new Span($"{app.Name} "), new Span(report.Version ?? "", Tone.Header), new Span("  "), new Span(report.Summary, tone)]);
        var width = report.Chain.Max(s => s.Subject.Length);
        foreach (var step in report.Chain)
        {
            var (mark, stepTone) = step.State switch
            {
                StepState.Ok => ("✔", Tone.Ok),
                StepState.Pending => ("◎", Tone.Warn),
                StepState.Unknown => ("?", Tone.Dim),
                _ => ("✗", Tone.Bad),
            };
            yield return new([new Span("  "), new Span(mark, stepTone), new Span($" {step.Subject.PadRight(width)}  {FluxStatus.TruncateHex(step.Detail)}")]);
        }
    }

    /// <summary><c>d</c>: kubectl describe's layout — metadata, spec, status with its Conditions, then the object's Events.</summary>
    public async Task<IReadOnlyList<StyledLine>> DescribeAsync(JsonObject obj, CancellationToken token)
    {
        var lines = new List<StyledLine>
        {
            Field("Name", obj.Name()),
            Field("Namespace", obj.Namespace()),
            Field("Labels", Pairs(obj["metadata"]?["labels"])),
            Field("Annotations", Pairs(obj["metadata"]?["annotations"])),
            Field("API Version", FluxKind.Str(obj["apiVersion"])),
            Field("Kind", obj.Kind()),
            StyledLine.Of("Spec:", Tone.Header),
        };
        lines.AddRange(Indented(obj["spec"]));
        lines.Add(StyledLine.Of("Status:", Tone.Header));
        var status = (obj["status"] as JsonObject)?.DeepClone() as JsonObject ?? [];
        var conditions = status["conditions"] as JsonArray ?? [];
        status.Remove("conditions");
        lines.AddRange(Indented(status));
        lines.Add(StyledLine.Of("  Conditions:", Tone.Header));
        foreach (var condition in conditions.OfType<JsonObject>())
        {
            var ready = FluxKind.Str(condition["status"]);
            var tone = ready == "True" ? Tone.Ok : ready == "False" ? Tone.Bad : Tone.Warn;
            lines.Add(Field("    Last Transition Time", FluxKind.Str(condition["lastTransitionTime"])));
            lines.Add(Field("    Message", FluxKind.Str(condition["message"])));
            lines.Add(Field("    Reason", FluxKind.Str(condition["reason"])));
            lines.Add(new([new Span("    Status:".PadRight(LabelWidth)), new Span(ready, tone)]));
            lines.Add(Field("    Type", FluxKind.Str(condition["type"])));
        }

        lines.Add(StyledLine.Of("Events:", Tone.Header));
        var events = await EventsOfAsync(obj, token);
        if (events.Count == 0)
        {
            lines.Add(StyledLine.Of("  <none>", Tone.Dim));
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            var rows = events.Select(e => new[]
            {
                FluxKind.Str(e["type"]), FluxKind.Str(e["reason"]), EventTime(e) is { } at ? HumanAge.Since(at, now) : "-",
                FluxKind.Str(e["source"]?["component"]) is { Length: > 0 } c ? c : FluxKind.Str(e["reportingComponent"]), FluxKind.Str(e["message"]),
            }).ToList();
            lines.AddRange(Table(["Type", "Reason", "Age", "From", "Message"], rows, "  ", r => r[0] == "Warning" ? Tone.Warn : Tone.Normal));
        }

        return lines;
    }

    /// <summary><c>h</c>: <c>status.history</c>, newest first — Kustomizations record revisions, HelmReleases releases.</summary>
    public static IReadOnlyList<StyledLine> History(JsonObject obj)
    {
        if (obj["status"]?["history"] is not JsonArray { Count: > 0 } history)
        {
            return [StyledLine.Of($"{obj.Kind()} {obj.Namespace()}/{obj.Name()} has no history (status.history is empty)", Tone.Dim)];
        }

        var rows = history.OfType<JsonObject>().Select(h => new[]
        {
            FluxKind.Str(h["lastReconciled"]) is { Length: > 0 } t ? t : FluxKind.Str(h["lastDeployed"]),
            FluxKind.Str(h["metadata"]?["revision"]) is { Length: > 0 } r ? FluxStatus.TruncateHex(r) : $"{FluxKind.Str(h["chartName"])}@{FluxKind.Str(h["chartVersion"])}",
            FluxKind.Str(h["lastReconciledStatus"]) is { Length: > 0 } st ? st : FluxKind.Str(h["status"]),
            h["totalReconciliations"]?.ToString() ?? h["version"]?.ToString() ?? "",
            FluxKind.Str(h["lastReconciledDuration"]),
        }).ToList();
        return Table(["LAST RECONCILED", "REVISION", "STATUS", "COUNT", "DURATION"], rows, "", r => r[2] is "ReconciliationSucceeded" or "deployed" ? Tone.Ok : Tone.Bad);
    }

    /// <summary><c>t</c>: <c>weir trace</c>'s blocks — for a Kustomization or HelmRelease itself and its source, or for a source.</summary>
    public async Task<IReadOnlyList<StyledLine>> TraceAsync(FluxRow row, CancellationToken token)
    {
        var query = new FluxQuery(client);
        if (row.Kind.Role == Weir.Core.Api.Crds.KindRole.Source)
        {
            var sb = new StringBuilder();
            TraceCommand.AppendSource(sb, row.Kind, row.Object);
            return Plain(sb.ToString());
        }

        if (row.Object.Label("kustomize.toolkit.fluxcd.io/name") is not null || row.Object.Label("helm.toolkit.fluxcd.io/name") is not null)
        {
            return Plain(await TraceCommand.TraceAsync(query, row.Object, token));
        }

        var own = new StringBuilder();
        await TraceCommand.AppendManagerAsync(own, query, row.Kind, row.Key, token);
        return Plain(own.ToString());
    }

    /// <summary>
    /// <c>g</c>: source → object → what its inventory holds (<c>weir tree</c>), each Deployment with its rollout,
    /// images and pods with their restarts.
    /// </summary>
    public async Task<IReadOnlyList<StyledLine>> GraphAsync(FluxRow row, CancellationToken token)
    {
        var lines = new List<StyledLine>();
        if (SourceReference.Of(row.Object) is { } source)
        {
            var src = await client.GetAsync(source.Kind.Resource, source.Key, token);
            var state = src is null ? "not found" : FluxStatus.From(source.Kind, src) is var s ? $"{s.Ready} {FluxStatus.TruncateHex(s.Revision)}" : "";
            lines.Add(StyledLine.Of($"{source.Kind.Kind}/{source.Key.Namespace}/{source.Key.Name}  [{state}]"));
            lines.Add(StyledLine.Of("│", Tone.Dim));
        }

        lines.Add(new([new Span($"{row.Kind.Kind}/{row.Status.Namespace}/{row.Status.Name}  "), new Span($"[{row.Status.Ready} {FluxStatus.TruncateHex(row.Status.Revision)}]", row.Glyph.Tone)]));
        if (row.Kind != FluxKind.Kustomization && row.Kind != FluxKind.HelmRelease)
        {
            return lines;
        }

        var tree = await TreeCommand.BuildAsync(new FluxQuery(client), row.Kind, row.Key, compact: false, [], token);
        var text = TreeCommand.Render(tree).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        foreach (var line in text)
        {
            lines.Add(StyledLine.Of(line));
            if (line.Contains("Deployment/", StringComparison.Ordinal) && line.Split("Deployment/")[1].Split('/') is [var ns, var name])
            {
                lines.AddRange(await WorkloadAsync(ns, name.Trim(), Prefix(line), token));
            }
        }

        return lines;
    }

    private async Task<IEnumerable<StyledLine>> WorkloadAsync(string ns, string name, string indent, CancellationToken token)
    {
        var deployment = await client.GetAsync(KubeResource.Deployment, new ObjectKey(ns, name), token);
        if (deployment is null)
        {
            return [StyledLine.Of($"{indent}    ✗ not found", Tone.Bad)];
        }

        var health = Weir.Runtime.Health.KStatus.Compute(deployment);
        var lines = new List<StyledLine>
        {
            new([new Span($"{indent}    rollout: "), new Span($"{health.Status} {health.Message}", health.Status == Weir.Runtime.Health.HealthStatus.Current ? Tone.Ok : Tone.Warn)]),
        };
        foreach (var container in deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? [])
        {
            lines.Add(StyledLine.Of($"{indent}    image: {FluxKind.Str(container?["image"])}"));
        }

        var labels = deployment["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var selector = labels is null ? null : string.Join(',', labels.Select(l => $"{l.Key}={l.Value}"));
        var (pods, _) = await client.ListAsync(KubeResource.Pod, ns, selector, token);
        foreach (var pod in pods)
        {
            var restarts = (pod["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => c?["restartCount"]?.GetValue<int>() ?? 0);
            lines.Add(StyledLine.Of($"{indent}    pod {pod.Name()}  {FluxKind.Str(pod["status"]?["phase"])}  restarts: {restarts}"));
        }

        return lines;
    }

    private static string Prefix(string treeLine)
    {
        var at = treeLine.IndexOfAny(['├', '└']);
        return at < 0 ? "" : treeLine[..at] + (treeLine[at] == '├' ? "│" : " ");
    }

    /// <summary>The Events whose involved object is <paramref name="obj"/>, oldest first.</summary>
    public async Task<List<JsonObject>> EventsOfAsync(JsonObject obj, CancellationToken token)
    {
        var (items, _) = await client.ListAsync(KubeResource.Event, obj.Namespace(), cancellationToken: token);
        return [.. items.Where(e => FluxKind.Str(e["involvedObject"]?["kind"]) == obj.Kind() && FluxKind.Str(e["involvedObject"]?["name"]) == obj.Name())
            .OrderBy(e => EventTime(e) ?? DateTimeOffset.MinValue)];
    }

    public static DateTimeOffset? EventTime(JsonObject e) =>
        new[] { e["lastTimestamp"], e["eventTime"], e["firstTimestamp"], e["metadata"]?["creationTimestamp"] }
            .Select(FluxKind.Str)
            .Where(t => t.Length > 0)
            .Select(t => DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null)
            .FirstOrDefault(t => t is not null);

    /// <summary>Left-aligned columns separated by two spaces, the header dimmed.</summary>
    public static List<StyledLine> Table(string[] headers, IReadOnlyList<string[]> rows, string indent, Func<string[], Tone> tone)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Format(string[] cells) => indent + string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
        return [StyledLine.Of(Format(headers), Tone.Header), .. rows.Select(r => StyledLine.Of(Format(r), tone(r)))];
    }

    public static List<StyledLine> Plain(string text) =>
        [.. text.TrimEnd('\n').Split('\n').Select(l => StyledLine.Of(l))];

    private static StyledLine Field(string label, string value) => StyledLine.Of((label + ":").PadRight(LabelWidth) + value);

    private static string Pairs(JsonNode? map) =>
        map is JsonObject o && o.Count > 0 ? string.Join(", ", o.Select(p => $"{p.Key}={p.Value}")) : "<none>";

    private static IEnumerable<StyledLine> Indented(JsonNode? node) =>
        node is JsonObject { Count: > 0 } o ? KubeYaml.Serialize(o).TrimEnd('\n').Split('\n').Select(l => StyledLine.Of("  " + l)) : [];
}
