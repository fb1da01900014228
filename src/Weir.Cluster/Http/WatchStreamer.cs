using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Weir.Cluster.Api;
using Weir.Cluster.Selectors;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Http;

/// <summary>What a watch request asks for.</summary>
internal sealed record WatchRequest(ResourceType Type, string? Namespace, LabelSelector Labels, FieldSelector Fields, string? ResourceVersion, bool Bookmarks, int? TimeoutSeconds, bool Table);

/// <summary>
/// Streams watch events as chunked line-delimited JSON: the initial state (or a replay from a resourceVersion), then live
/// changes, bookmarks when allowed, and a 410 ERROR event when the resourceVersion is older than the change log.
/// </summary>
internal sealed class WatchStreamer(GenericRegistry registry, TimeSpan bookmarkInterval, CancellationToken stopping)
{
    public async Task StreamAsync(HttpContext ctx, WatchRequest w)
    {
        var store = registry.Store;
        var response = ctx.Response;
        response.StatusCode = 200;
        response.ContentType = w.Table ? MediaTypes.Table : MediaTypes.Json;
        response.Headers.CacheControl = "no-cache, private";
        long from = 0;
        var initial = w.ResourceVersion is null or "" or "0";
        if (!initial && !long.TryParse(w.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            throw ApiException.BadRequest($"invalid resource version: {w.ResourceVersion}");
        }
        List<StoredObject> snapshot = [];
        long start = 0;
        var tooOld = false;
        using var sub = store.Subscribe(rv =>
        {
            start = rv;
            if (initial)
            {
                snapshot = store.List(w.Type.Group, w.Type.StorageResource, w.Type.Namespaced ? w.Namespace : null);
            }
            else if (from < store.CompactedRevision)
            {
                tooOld = true;
            }
        });
        await response.StartAsync(ctx.RequestAborted);
        // Send the headers now: clients (kubectl wait) block until a watch is established, even when no event comes.
        await response.Body.FlushAsync(ctx.RequestAborted);
        if (tooOld)
        {
            var status = ApiException.Gone($"too old resource version: {from} ({start})").ToStatus();
            await WriteLine(response, new JsonObject { ["type"] = "ERROR", ["object"] = status }, ctx.RequestAborted);
            return;
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
        if (w.TimeoutSeconds is > 0)
        {
            cts.CancelAfter(TimeSpan.FromSeconds(w.TimeoutSeconds.Value));
        }
        var first = true;
        try
        {
            if (initial)
            {
                foreach (var o in snapshot)
                {
                    first = await Send(response, w, "ADDED", o.Json, first, cts.Token) && first;
                }
            }
            else
            {
                foreach (var change in store.ChangesBetween(from, start))
                {
                    if (Relevant(change, w))
                    {
                        first = await Send(response, w, change.Type, change.Json, first, cts.Token) && first;
                    }
                }
            }
            var lastRv = start;
            while (!cts.IsCancellationRequested)
            {
                ChangeEvent change;
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(cts.Token))
                {
                    tick.CancelAfter(bookmarkInterval);
                    try
                    {
                        change = await sub.Reader.ReadAsync(tick.Token);
                    }
                    catch (OperationCanceledException) when (!cts.IsCancellationRequested)
                    {
                        if (w.Bookmarks)
                        {
                            await WriteLine(response, Bookmark(w.Type, lastRv), cts.Token);
                        }
                        continue;
                    }
                }
                lastRv = change.ResourceVersion;
                if (Relevant(change, w))
                {
                    first = await Send(response, w, change.Type, change.Json, first, cts.Token) && first;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Client went away or timeoutSeconds elapsed: end the stream.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // Server shutting down.
        }
    }

    private static bool Relevant(ChangeEvent change, WatchRequest w) =>
        change.Key.Group == w.Type.Group && change.Key.Resource == w.Type.StorageResource &&
        (w.Namespace is null || !w.Type.Namespaced || change.Key.Namespace == w.Namespace);

    /// <summary>Writes the event if the object matches the selectors; returns false once something was written.</summary>
    private static async Task<bool> Send(HttpResponse response, WatchRequest w, string type, string json, bool first, CancellationToken token)
    {
        var obj = GenericRegistry.Present(w.Type, json);
        if (!w.Labels.Matches(obj["metadata"]?["labels"] as JsonObject) || !w.Fields.Matches(obj, w.Type))
        {
            return true;
        }
        JsonNode payload = w.Table
            ? w.Type.Strategy.Table.ToTable([obj], "Metadata", obj["metadata"]?["resourceVersion"]?.GetValue<string>() ?? "", null)
            : obj;
        await WriteLine(response, new JsonObject { ["type"] = type, ["object"] = payload }, token);
        return false;
    }

    private static JsonObject Bookmark(ResourceType t, long rv) => new()
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["kind"] = t.Kind,
            ["apiVersion"] = t.GroupVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture) },
        },
    };

    private static async Task WriteLine(HttpResponse response, JsonObject evt, CancellationToken token)
    {
        var bytes = Encoding.UTF8.GetBytes(evt.ToJsonString(JsonText.Options) + "\n");
        await response.Body.WriteAsync(bytes, token);
        await response.Body.FlushAsync(token);
    }
}
