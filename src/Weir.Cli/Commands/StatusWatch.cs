using System.Text.Json.Nodes;
using k8s;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>get … --watch</c>: lists once, then follows the watch stream. On a terminal the whole table is redrawn in
/// place on every change; otherwise one row is appended per event, as flux does.
/// </summary>
public sealed class StatusWatch(FluxQuery query, FluxKind kind, StatusView view, Func<JsonObject, bool> filter, string? labelSelector, string? name, TextWriter output)
{
    private readonly SortedDictionary<string, FluxStatus> _rows = new(StringComparer.Ordinal);
    private int _drawnLines;

    /// <summary>Runs until <paramref name="until"/> fires (the --timeout) or the user cancels.</summary>
    public async Task RunAsync(string? ns, CancellationToken until, CancellationToken userCancel)
    {
        var (items, resourceVersion) = await query.Client.ListAsync(kind.Resource, ns, labelSelector, userCancel);
        foreach (var item in items.Where(Selected))
        {
            _rows[Key(item)] = FluxStatus.From(kind, item);
        }

        var interactive = Terminal.IsInteractive;
        if (interactive)
        {
            Redraw();
        }
        else if (_rows.Count > 0)
        {
            output.Write(view.Render([.. _rows.Values]));
        }

        output.Flush();
        try
        {
            while (!until.IsCancellationRequested)
            {
                await foreach (var e in query.Client.WatchAsync(kind.Resource, ns, resourceVersion, labelSelector, cancellationToken: until))
                {
                    if (e.Type == WatchEventType.Bookmark)
                    {
                        resourceVersion = e.Object.ResourceVersion();
                        continue;
                    }

                    resourceVersion = e.Object.ResourceVersion();
                    if (name is not null && e.Object.Name() != name)
                    {
                        continue;
                    }

                    var status = FluxStatus.From(kind, e.Object);
                    if (e.Type == WatchEventType.Deleted || !filter(e.Object))
                    {
                        _rows.Remove(Key(e.Object));
                    }
                    else
                    {
                        _rows[Key(e.Object)] = status;
                    }

                    if (interactive)
                    {
                        Redraw();
                    }
                    else if (filter(e.Object))
                    {
                        output.Write(FluxTable.Render(null, [view.Row(status, DateTimeOffset.UtcNow)]));
                    }

                    output.Flush();
                }
            }
        }
        catch (OperationCanceledException) when (until.IsCancellationRequested && !userCancel.IsCancellationRequested)
        {
            // --timeout reached: the watch ends like flux's, without an error.
        }
    }

    private bool Selected(JsonObject obj) => (name is null || obj.Name() == name) && filter(obj);

    private static string Key(JsonObject obj) => $"{obj.Namespace()}/{obj.Name()}";

    private void Redraw()
    {
        var table = _rows.Count == 0 ? $"no {kind.Kind} objects found\n" : view.Render([.. _rows.Values]);
        output.Write(Terminal.Rewind(_drawnLines) + table);
        _drawnLines = table.Count(c => c == '\n');
    }
}
