namespace Weir.Cluster.Api;

/// <summary>Query options of a write, and the warnings it produced.</summary>
public sealed class WriteOptions
{
    public bool DryRun { get; init; }

    /// <summary>Strict, Warn or Ignore.</summary>
    public string FieldValidation { get; init; } = "Warn";

    public string FieldManager { get; init; } = "unknown";

    /// <summary>Whether the request named its field manager (server-side apply requires it).</summary>
    public bool FieldManagerGiven { get; init; }

    /// <summary>Server-side apply takes conflicting fields from their managers.</summary>
    public bool Force { get; init; }

    public List<string> Warnings { get; } = [];

    /// <summary>Set when a server-side apply created the object (answered 201).</summary>
    public bool Created { get; set; }
}

/// <summary>DeleteOptions that matter without running workloads.</summary>
public sealed record DeleteOptions(string PropagationPolicy = "Background", string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);

/// <summary>One page of a list.</summary>
public sealed record ListResult(List<System.Text.Json.Nodes.JsonObject> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>One page of a list as stored JSON texts.</summary>
public sealed record RawListResult(List<string> Items, string ResourceVersion, string? Continue, long? RemainingItemCount);
