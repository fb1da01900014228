using Weir.Helm.Rendering;
using Weir.Runtime.Health;

namespace Weir.Helm.Actions;

/// <summary>What every action against a cluster shares: the release, how long waits may last, and hooks.</summary>
public abstract record ReleaseActionOptions(string ReleaseName, string Namespace)
{
    /// <summary>Helm's <c>--timeout</c>: each hook wait and the readiness wait (default 5m).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Helm's <c>--no-hooks</c>.</summary>
    public bool DisableHooks { get; init; }

    /// <summary>Helm's <c>--wait</c>: wait until every resource is ready, by the rules of <see cref="WaitStrategy"/>.</summary>
    public bool Wait { get; init; }

    /// <summary>Helm's <c>--wait-for-jobs</c>: the wait also lasts until the release's Jobs complete; without it Jobs are not waited for.</summary>
    public bool WaitForJobs { get; init; } = true;

    /// <summary>How readiness is judged while waiting: kstatus (Helm 4's default) or Helm's legacy rules.</summary>
    public HelmWaitStrategy WaitStrategy { get; init; } = HelmWaitStrategy.Poller;

    /// <summary>CEL rules deciding the health of the kinds they name instead of kstatus (poller wait only).</summary>
    public CustomHealthChecks HealthChecks { get; init; } = CustomHealthChecks.None;

    /// <summary>Receives the lines Helm logs during the action (the caller keeps the last ones for failure events).</summary>
    public Action<HelmLogRecord>? Log { get; init; }

    /// <summary>
    /// Helm's <c>--force</c>: objects that exist are updated by replacing them (PUT) instead of applying them; install
    /// creates as usual. Used by upgrade and rollback.
    /// </summary>
    public bool ForceReplace { get; init; }

    /// <summary>Helm's <c>--cleanup-on-fail</c>: objects this action created are deleted when it fails (upgrade and rollback).</summary>
    public bool CleanupOnFail { get; init; }

    /// <summary>
    /// Helm's <c>DisableOpenAPIValidation</c>: the API server ignores unknown fields (<c>fieldValidation=Ignore</c>)
    /// instead of rejecting them (<c>Strict</c>).
    /// </summary>
    public bool DisableOpenApiValidation { get; init; }

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

    /// <summary>CRDs of <c>crds/</c> that exist are replaced (Flux's <c>CreateReplace</c>); Helm leaves them as they are.</summary>
    public bool ReplaceCrds { get; init; }

    /// <summary>Adopt existing resources that carry no (or other) Helm ownership metadata.</summary>
    public bool TakeOwnership { get; init; }

    /// <summary>Helm's <c>--create-namespace</c>: the release's namespace is created when missing (labelled <c>name: NS</c>).</summary>
    public bool CreateNamespace { get; init; }

    /// <summary>Helm's <c>--skip-schema-validation</c>: the values are not checked against <c>values.schema.json</c>.</summary>
    public bool SkipSchemaValidation { get; init; }

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

    /// <summary>CRDs of <c>crds/</c> that exist are replaced (Flux's <c>CreateReplace</c>); otherwise only missing ones are created.</summary>
    public bool ReplaceCrds { get; init; }

    public bool TakeOwnership { get; init; }

    /// <summary>Helm's <c>--skip-schema-validation</c>: the values are not checked against <c>values.schema.json</c>.</summary>
    public bool SkipSchemaValidation { get; init; }

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

    /// <summary>Helm's <c>--cascade</c>: <c>background</c> (the default), <c>foreground</c> or <c>orphan</c> deletion of the resources.</summary>
    public string DeletionPropagation { get; init; } = "background";
}

/// <summary><c>helm test</c>.</summary>
public sealed record TestOptions(string ReleaseName, string Namespace) : ReleaseActionOptions(ReleaseName, Namespace)
{
    /// <summary>Collect the logs of test Pods (<c>--logs</c>).</summary>
    public bool Logs { get; init; }

    /// <summary>Only the test hooks whose name it accepts run (<c>--filter</c>); null runs all.</summary>
    public Func<string, bool>? Filter { get; init; }
}

/// <summary>How a release's resources are judged ready during the wait.</summary>
public enum HelmWaitStrategy
{
    /// <summary>kstatus, polled (Helm 4's status watcher, which helm-controller polls).</summary>
    Poller,

    /// <summary>Helm 3's ready checker: Pods ready, Jobs complete, a Deployment's new ReplicaSet ready within maxUnavailable, …</summary>
    Legacy,
}
