using System.Text.Json.Nodes;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Cli.Create;

/// <summary>What every <c>weir create</c> sub-command shares: the object's name and namespace, its labels and <c>--interval</c>.</summary>
public sealed record CreateContext(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, TimeSpan Interval)
{
    /// <summary><c>--interval</c> as flux writes durations (Go's <c>time.Duration</c>: <c>1m0s</c>).</summary>
    public string IntervalText => FluxDuration.Format(Interval);

    /// <summary>An object of <paramref name="resource"/> with this name, namespace and labels, and <paramref name="spec"/>.</summary>
    public JsonObject Object(KubeResource resource, JsonObject spec)
    {
        var metadata = new JsonObject { ["name"] = Name, ["namespace"] = Namespace };
        if (Labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject { ["apiVersion"] = resource.ApiVersion, ["kind"] = resource.Kind, ["metadata"] = metadata, ["spec"] = spec };
    }

    /// <summary>A Secret holding credentials given on the command line (flux names it after the object, e.g. <c>bucket-NAME</c>).</summary>
    public JsonObject Secret(string name, IReadOnlyDictionary<string, string> data)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = Namespace };
        if (Labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = metadata,
            ["stringData"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)d.Value))),
        };
    }
}

/// <summary>What a create sub-command built: the object, and a Secret with command-line credentials (never exported).</summary>
public sealed record CreatedObjects(JsonObject Object, JsonObject? Secret = null, string? SecretMessage = null);
