using Weir.Helm.Rendering;

namespace Weir.Helm.Actions;

/// <summary>What every action against a cluster shares: the release, how long waits may last, and hooks.</summary>
public abstract record ReleaseActionOptions(string ReleaseName, string Namespace)
{
    /// <summary>Helm's <c>--timeout</c>: each hook wait and the readiness wait (default 5m).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Helm's <c>--no-hooks</c>.</summary>
    public bool DisableHooks { get; init; }

    /// <summary>Helm's <c>--wait</c>: wait until every resource is ready by kstatus rules.</summary>
    public bool Wait { get; init; }

    public string Description { get; init; } = "";

    /// <summary>Helm's <c>HELM_NAMESPACE</c> storage split: where the release Secrets go (null: <see cref="Namespace"/>).</summary>
    public string? StorageNamespace { get; init; }
}

/// <summary><c>helm install</c>.</summary>
public sealed record InstallOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>Helm 4's <c>--rollback-on-failure</c> (Helm 3's <c>--atomic</c>): a failed install is uninstalled.</summary>
    public bool RollbackOnFailure { get; init; }

    /// <summary>Re-use the name of a release whose last revision is uninstalled or failed.</summary>
    public bool Replace { get; init; }

    /// <summary>Skip <c>crds/</c>.</summary>
    public bool SkipCrds { get; init; }

    /// <summary>Adopt existing resources that carry no (or other) Helm ownership metadata.</summary>
    public bool TakeOwnership { get; init; }

    /// <summary>The cluster's capabilities; null reads them from the API server's discovery.</summary>
    public Capabilities? Capabilities { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Helm's <c>--post-renderer</c>: rewrites the rendered documents before they are installed.</summary>
    public IPostRenderer? PostRenderer { get; init; }

    public PostRenderStrategy PostRenderStrategy { get; init; } = PostRenderStrategy.Combined;
}

/// <summary><c>helm upgrade</c>.</summary>
public sealed record UpgradeOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>A failed upgrade rolls back to the last successful revision.</summary>
    public bool RollbackOnFailure { get; init; }

    /// <summary>Merge the values of the current release under the new ones (<c>--reuse-values</c>).</summary>
    public bool ReuseValues { get; init; }

    /// <summary>Revisions kept (0: all); the oldest go first, never the deployed one. Helm's CLI default is 10.</summary>
    public int MaxHistory { get; init; } = 10;

    public bool SkipCrds { get; init; } = true;

    public bool TakeOwnership { get; init; }

    public Capabilities? Capabilities { get; init; }

    /// <summary>Helm's <c>--post-renderer</c>: rewrites the rendered documents before they are installed.</summary>
    public IPostRenderer? PostRenderer { get; init; }

    public PostRenderStrategy PostRenderStrategy { get; init; } = PostRenderStrategy.Combined;
}

/// <summary><c>helm rollback</c>.</summary>
public sealed record RollbackOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>The revision to return to; 0 is the one before the current.</summary>
    public int Version { get; init; }

    public int MaxHistory { get; init; } = 10;
}

/// <summary><c>helm uninstall</c>.</summary>
public sealed record UninstallOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>Keep the release records, marked <c>uninstalled</c>.</summary>
    public bool KeepHistory { get; init; }
}

/// <summary><c>helm test</c>.</summary>
public sealed record TestOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>Collect the logs of test Pods (<c>--logs</c>).</summary>
    public bool Logs { get; init; }

    /// <summary>Only the test hooks whose name it accepts run (<c>--filter</c>); null runs all.</summary>
    public Func<string, bool>? Filter { get; init; }
}
