using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Simulation;

/// <summary>
/// What <c>GET …/pods/NAME/log</c> answers: no process runs, so a started container's log is one honest line; a
/// container that has not started gets the errors the API server and kubelet give (container name required or
/// unknown, waiting to start, no previous container).
/// </summary>
internal static class PodLogs
{
    public static string Line(string pod) => $"weir: no process runs in the embedded cluster; pod {pod} is simulated\n";

    /// <summary>The log text for <paramref name="container"/> (the only one when empty), or a 400 naming why there is none.</summary>
    public static string Answer(JsonObject pod, string? container, bool previous)
    {
        var name = Json.Name(pod);
        var specs = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(l => (Json.At(pod, "spec", l) as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(c => Json.Str(c["name"])).ToList();
        if (string.IsNullOrEmpty(container))
        {
            var regular = (Json.At(pod, "spec", "containers") as JsonArray)?.OfType<JsonObject>().Select(c => Json.Str(c["name"])).ToList() ?? [];
            container = regular.Count switch
            {
                1 => regular[0],
                0 => throw ApiException.BadRequest($"a container name must be specified for pod {name}"),
                _ => throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', specs)}]"),
            };
        }
        else if (!specs.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        if (Json.Str(Json.At(pod, "spec", "nodeName")) == "")
        {
            return "";
        }
        var status = new[] { "initContainerStatuses", "containerStatuses" }
            .SelectMany(l => (Json.At(pod, "status", l) as JsonArray)?.OfType<JsonObject>() ?? [])
            .FirstOrDefault(s => Json.Str(s["name"]) == container);
        var state = status?["state"] as JsonObject;
        var lastTerminated = Json.At(status, "lastState", "terminated");
        if (previous)
        {
            return lastTerminated is null
                ? throw ApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{name}\" not found")
                : Line(name);
        }
        if (state?["running"] is not null || state?["terminated"] is not null || lastTerminated is not null)
        {
            return Line(name);
        }
        var reason = Json.Str(Json.At(state, "waiting", "reason")) is { Length: > 0 } r ? r : "ContainerCreating";
        throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: " + reason switch
        {
            "ErrImagePull" => "image can't be pulled",
            "ImagePullBackOff" => "trying and failing to pull image",
            _ => reason,
        });
    }
}
