using System.Text.Json.Nodes;

namespace Weir.Helm.Releases;

/// <summary>The statuses a Helm release record can have (<c>info.status</c> and the Secret's <c>status</c> label).</summary>
public static class ReleaseStatus
{
    public const string Unknown = "unknown";
    public const string Deployed = "deployed";
    public const string Uninstalled = "uninstalled";
    public const string Superseded = "superseded";
    public const string Failed = "failed";
    public const string Uninstalling = "uninstalling";
    public const string PendingInstall = "pending-install";
    public const string PendingUpgrade = "pending-upgrade";
    public const string PendingRollback = "pending-rollback";

    public static bool IsPending(string status) => status is PendingInstall or PendingUpgrade or PendingRollback;
}

/// <summary>
/// One revision of a release as Helm stores it: the chart it was made from and the user's values (both as Helm's
/// JSON, so records written by Helm round-trip untouched), the rendered manifest, the hooks and their last runs.
/// </summary>
public sealed record Release
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>The revision, from 1.</summary>
    public required int Version { get; init; }

    public ReleaseInfo Info { get; init; } = new();

    /// <summary>The chart as Helm's JSON (<c>metadata</c>, <c>lock</c>, <c>templates</c>, <c>values</c>, <c>schema</c>, <c>files</c>).</summary>
    public JsonObject? Chart { get; init; }

    /// <summary>The values the user gave (not the coalesced ones).</summary>
    public JsonObject Config { get; init; } = [];

    public string Manifest { get; init; } = "";

    public IReadOnlyList<ReleaseHook> Hooks { get; init; } = [];

    /// <summary><c>ssa</c> or <c>csa</c>: how the resources were applied (Helm 4).</summary>
    public string ApplyMethod { get; init; } = "";

    /// <summary>Custom labels of the storage Secret (system labels excluded).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The chart's name from its metadata, or "" when the record holds no chart.</summary>
    public string ChartName => Chart?["metadata"]?["name"]?.GetValue<string>() ?? "";

    /// <summary>The chart's version from its metadata, or "".</summary>
    public string ChartVersion => Chart?["metadata"]?["version"]?.GetValue<string>() ?? "";

    public Release WithStatus(string status, string description) =>
        this with { Info = Info with { Status = status, Description = description } };
}

/// <summary>Helm's <c>info</c>: times, status, description, notes.</summary>
public sealed record ReleaseInfo
{
    public DateTimeOffset? FirstDeployed { get; init; }

    public DateTimeOffset? LastDeployed { get; init; }

    public DateTimeOffset? Deleted { get; init; }

    public string Description { get; init; } = "";

    public string Status { get; init; } = "";

    /// <summary>For a rollback, the revision rolled back to.</summary>
    public int RollbackRevision { get; init; }

    public string Notes { get; init; } = "";

    /// <summary>Helm's <c>resources</c> map when a record carries it (kept as read).</summary>
    public JsonObject? Resources { get; init; }
}

/// <summary>A hook as stored in the release, with its last execution.</summary>
public sealed record ReleaseHook
{
    public string Name { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Path { get; init; } = "";

    public string Manifest { get; init; } = "";

    public IReadOnlyList<string> Events { get; init; } = [];

    public HookExecution LastRun { get; init; } = new();

    public int Weight { get; init; }

    public IReadOnlyList<string> DeletePolicies { get; init; } = [];

    public IReadOnlyList<string> OutputLogPolicies { get; init; } = [];

    public static ReleaseHook From(Manifests.Hook hook) => new()
    {
        Name = hook.Name,
        Kind = hook.Kind,
        Path = hook.Path,
        Manifest = hook.Manifest,
        Events = hook.HookEvents,
        Weight = hook.Weight,
        DeletePolicies = hook.DeletePolicies,
        OutputLogPolicies = hook.OutputLogPolicies,
    };
}

/// <summary>When a hook last ran and how it ended (<c>Unknown</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c>).</summary>
public sealed record HookExecution
{
    public const string Unknown = "Unknown";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Helm writes <c>""</c> for a hook that never ran.</summary>
    public string Phase { get; init; } = "";
}
