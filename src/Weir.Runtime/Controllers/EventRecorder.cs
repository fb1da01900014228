using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>
/// Writes Kubernetes Events (core/v1) about objects, as client-go's recorder does: an event repeated with the same
/// type, reason and message for the same object increments the existing Event's <c>count</c> and
/// <c>lastTimestamp</c> instead of creating another. Failures to record are swallowed: events are best effort.
/// </summary>
public sealed class EventRecorder(ResourceClient client, string component, TimeProvider? clock = null)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private static readonly TimeSpan DedupWindow = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, (ObjectKey Event, DateTimeOffset Last)> _recent = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Component { get; } = component;

    public async Task RecordAsync(
        JsonObject involved, string type, string reason, string message,
        IReadOnlyDictionary<string, string>? annotations = null, CancellationToken cancellationToken = default)
    {
        var now = _clock.GetUtcNow();
        var ns = involved.Namespace().Length > 0 ? involved.Namespace() : "default";
        var dedupKey = string.Join('\u0000', involved.Uid(), involved.Key().ToString(), type, reason, message);
        try
        {
            if (_recent.TryGetValue(dedupKey, out var seen) && now - seen.Last < DedupWindow
                && await client.GetAsync(KubeResource.Event, seen.Event, cancellationToken) is { } existing)
            {
                var count = (existing["count"]?.GetValue<int>() ?? 1) + 1;
                await client.PatchAsync(KubeResource.Event, seen.Event,
                    new JsonObject { ["count"] = count, ["lastTimestamp"] = KubeTime.Format(now) }, "merge", cancellationToken: cancellationToken);
                _recent[dedupKey] = (seen.Event, now);
                return;
            }

            var name = $"{involved.Name()}.{now.UtcTicks:x}";
            var evt = new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = new JsonObject
                {
                    ["apiVersion"] = involved.ApiVersion(),
                    ["kind"] = involved.Kind(),
                    ["name"] = involved.Name(),
                    ["namespace"] = involved.Namespace(),
                    ["uid"] = involved.Uid(),
                    ["resourceVersion"] = involved.ResourceVersion(),
                },
                ["type"] = type,
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = new JsonObject { ["component"] = Component },
                ["reportingComponent"] = Component,
                ["reportingInstance"] = Environment.MachineName,
                ["firstTimestamp"] = KubeTime.Format(now),
                ["lastTimestamp"] = KubeTime.Format(now),
                ["count"] = 1,
            };
            if (annotations is { Count: > 0 })
            {
                var meta = evt.EnsureMetadata();
                meta["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
            }

            await client.CreateAsync(KubeResource.Event, evt, cancellationToken);
            _recent[dedupKey] = (new ObjectKey(ns, name), now);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            // Events are best effort; the status conditions carry the same facts.
        }
    }
}
