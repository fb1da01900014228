using Weir.Core.Api.Source;
using Weir.Core.Conditions;

namespace Weir.Cli.Status;

/// <summary>Everything <c>weir status</c> looks at, fetched beforehand so the verdict is a pure function of it.</summary>
public sealed record AppStatusInput
{
    /// <summary>The app's OCIRepository.</summary>
    public required OCIRepository Source { get; init; }

    /// <summary>Every Kustomization and HelmRelease whose source is that OCIRepository.</summary>
    public IReadOnlyList<ConsumerState> Consumers { get; init; } = [];

    /// <summary>The tags in the registry, or why they could not be listed.</summary>
    public required RegistryTags Registry { get; init; }

    /// <summary>The version asked about (<c>--version</c>); the newest semver tag in the registry when null.</summary>
    public string? RequestedVersion { get; init; }

    public required DateTimeOffset Now { get; init; }
}

public sealed record RegistryTags(IReadOnlyList<string>? Tags, string? Error = null);

/// <summary>A Kustomization or HelmRelease fed by the app's source, with the workloads it applied.</summary>
public sealed record ConsumerState(
    string Kind,
    string Namespace,
    string Name,
    bool Suspended,
    IReadOnlyList<Condition> Conditions,
    string? LastAppliedRevision,
    IReadOnlyList<WorkloadState> Workloads,
    string? LastFailure = null);

public enum WorkloadHealth
{
    Current,
    InProgress,
    Failed,
    NotFound,
}

/// <summary>An applied workload (<c>Deployment/ns/name</c>) and its kstatus.</summary>
public sealed record WorkloadState(string Id, WorkloadHealth Health, string Message);

/// <summary>The answer, worst first: a failure beats a block, which beats waiting.</summary>
public enum Verdict
{
    Live,
    Pending,
    Blocked,
    Failed,
}

public enum StepState
{
    Ok,
    Unknown,
    Pending,
    Blocked,
    Failed,
}

/// <summary>One link of the chain registry → source → Kustomization/HelmRelease → workloads.</summary>
public sealed record StatusStep(string Subject, StepState State, string Detail);

/// <summary><c>weir status</c>'s answer: one verdict line, the version it is about, and the chain that explains it.</summary>
public sealed record StatusReport(Verdict Verdict, string Summary, string? Version, IReadOnlyList<StatusStep> Chain)
{
    /// <summary>0 only when live; 1 failed, 3 blocked, 4 pending (2 stays the CLI's usage error).</summary>
    public int ExitCode => Verdict switch
    {
        Verdict.Live => 0,
        Verdict.Failed => 1,
        Verdict.Blocked => 3,
        _ => 4,
    };
}
