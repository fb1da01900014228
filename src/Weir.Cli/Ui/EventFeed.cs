using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cluster.Printing;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary><c>:events</c>: core/v1 Events, watched by an informer from the first time the view opens, newest first.</summary>
public sealed class EventFeed(ResourceClient client)
{
    private Informer? _informer;
    private string? _namespace;
    private CancellationTokenSource? _stop;

    public event Action? Changed;

    public void Start(string? ns)
    {
        if (_informer is not null && _namespace == ns)
        {
            return;
        }

        _stop?.Cancel();
        _stop = new CancellationTokenSource();
        _namespace = ns;
        _informer = new Informer(client, KubeResource.Event, ns);
        _informer.OnChange(_ => Changed?.Invoke());
        var informer = _informer;
        var token = _stop.Token;
        _ = Task.Run(() => informer.RunAsync(token));
    }

    public IReadOnlyList<StyledLine> Render(DateTimeOffset now)
    {
        if (_informer is not { } informer)
        {
            return [];
        }

        var events = informer.Cache.Keys().Select(informer.Cache.Get).OfType<JsonObject>()
            .OrderByDescending(e => ObjectViews.EventTime(e) ?? DateTimeOffset.MinValue).Take(500).ToList();
        if (events.Count == 0)
        {
            return [StyledLine.Of(informer.Synced.IsCompleted ? "no events" : "loading…", Tone.Dim)];
        }

        var rows = events.Select(e => new[]
        {
            ObjectViews.EventTime(e) is { } at ? HumanAge.Since(at, now) : "-",
            FluxKind.Str(e["type"]),
            FluxKind.Str(e["reason"]),
            $"{FluxKind.Str(e["involvedObject"]?["kind"])}/{e.Namespace()}/{FluxKind.Str(e["involvedObject"]?["name"])}",
            FluxStatus.TruncateHex(FluxKind.Str(e["message"])),
        }).ToList();
        return ObjectViews.Table(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], rows, "", r => r[1] == "Warning" ? Tone.Warn : Tone.Normal);
    }
}
