using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Helm.Rendering;
using Weir.Runtime.Kube;
using Weir.Templates.Formatting;
using Weir.Templates.Values;

namespace Weir.Helm.Actions;

/// <summary>
/// Helm's actions against one cluster: <see cref="InstallAsync"/>, <see cref="UpgradeAsync"/>,
/// <see cref="RollbackAsync"/>, <see cref="UninstallAsync"/> and <see cref="TestAsync"/>. Each takes an options
/// record, records every revision in Helm's Secret storage, and returns the release as stored, or throws a
/// <see cref="HelmActionException"/> (the failed record attached) — chart, values and template errors come as
/// <see cref="ChartException"/>, <see cref="Values.ValuesException"/> and <see cref="RenderException"/>, before anything is written.
/// </summary>
public sealed class HelmCluster
{
    private readonly ResourceClient client;
    private readonly ResourceMapper mapper;

    public HelmCluster(ResourceClient client)
    {
        this.client = client;
        mapper = new ResourceMapper(client);
        Resources = new ReleaseResources(client, mapper);
        Hooks = new HookRunner(Resources, mapper);
    }

    internal ReleaseResources Resources { get; }

    internal HookRunner Hooks { get; }

    /// <summary>The release records of a namespace.</summary>
    public SecretReleaseStore Store(string ns) => new(client, ns);

    public Task<Release> InstallAsync(Chart chart, GoMap values, InstallOptions options, CancellationToken cancellationToken = default) =>
        new InstallAction(this).RunAsync(chart, values, options, cancellationToken);

    public Task<Release> UpgradeAsync(Chart chart, GoMap values, UpgradeOptions options, CancellationToken cancellationToken = default) =>
        new UpgradeAction(this).RunAsync(chart, values, options, cancellationToken);

    public Task<Release> RollbackAsync(RollbackOptions options, CancellationToken cancellationToken = default) =>
        new RollbackAction(this).RunAsync(options, cancellationToken);

    public Task<Release?> UninstallAsync(UninstallOptions options, CancellationToken cancellationToken = default) =>
        new UninstallAction(this).RunAsync(options, cancellationToken);

    public Task<TestResult> TestAsync(TestOptions options, CancellationToken cancellationToken = default) =>
        new TestAction(this).RunAsync(options, cancellationToken);

    /// <summary>
    /// A stored release's resources as they are in the cluster when the release is intact: its manifest's objects,
    /// namespaced ones in the release's namespace, with Helm's ownership metadata (what drift detection compares).
    /// </summary>
    /// <exception cref="HelmActionException">The manifest cannot be read or names a kind the cluster does not serve.</exception>
    public async Task<IReadOnlyList<JsonObject>> ReleaseObjectsAsync(Release release, CancellationToken cancellationToken = default) =>
        await Resources.BuildAsync(release.Manifest, release.Namespace, release.Name, cancellationToken);

    /// <summary>Renders the chart as Helm does for an install or upgrade, with the cluster's capabilities and <c>lookup</c>.</summary>
    internal async Task<RenderedRelease> RenderAsync(
        Chart chart, GoMap values, ReleaseOptions release, Capabilities? capabilities, IPostRenderer? postRenderer, PostRenderStrategy postRenderStrategy,
        bool skipSchemaValidation, CancellationToken cancellationToken)
    {
        ReleaseRenderer.CheckInstallable(chart);
        var caps = capabilities ?? await ClusterCapabilities.ReadAsync(client, cancellationToken);
        var request = new RenderRequest(release)
        {
            Capabilities = caps,
            Settings = new RenderSettings { Lookup = new ClusterLookup(client, mapper, cancellationToken) },
            PostRenderer = postRenderer,
            PostRenderStrategy = postRenderStrategy,
            SkipSchemaValidation = skipSchemaValidation,
        };
        return new ReleaseRenderer().Render(chart, values, request);
    }

    /// <summary>
    /// The chart's <c>crds/</c> files applied (and established) before anything else, as Helm installs them: CRDs that
    /// exist already are left alone unless <paramref name="replace"/>.
    /// </summary>
    internal async Task InstallCrdsAsync(Chart chart, TimeSpan timeout, bool replace, CancellationToken cancellationToken)
    {
        var crds = new List<JsonObject>();
        foreach (var (_, file) in chart.CrdObjects())
        {
            crds.AddRange(await Resources.BuildAsync(System.Text.Encoding.UTF8.GetString(file.Data), "", owner: null, cancellationToken));
        }

        await Resources.ApplyAsync(replace ? crds : await Resources.MissingAsync(crds, cancellationToken), timeout, cancellationToken);
    }

    /// <summary>
    /// The heart of install, upgrade and rollback: <c>pre-EVENT</c> hooks, the resources deployed, <c>post-EVENT</c>
    /// hooks. Returns the release with its hooks' runs.
    /// </summary>
    internal async Task<Release> PerformAsync(
        Release release, string hookEvent, IReadOnlyList<JsonObject> current, IReadOnlyList<JsonObject> target, ReleaseActionOptions o,
        Func<string, string> errorPrefix, CancellationToken cancellationToken)
    {
        release = await RunHooksAsync(release, "pre-" + hookEvent, o, errorPrefix("pre-" + hookEvent), cancellationToken);
        var created = o.CleanupOnFail ? await Resources.MissingAsync(target, cancellationToken) : [];
        try
        {
            await DeployAsync(current, target, o, cancellationToken);
            return await RunHooksAsync(release, "post-" + hookEvent, o, errorPrefix("post-" + hookEvent), cancellationToken);
        }
        catch (Exception e) when (created.Count > 0 && e is not OperationCanceledException)
        {
            await CleanUpAsync(created, hookEvent, e, o, cancellationToken);
            throw;
        }
    }

    /// <summary>Helm's <c>--cleanup-on-fail</c>: the objects a failed action created are deleted (background propagation).</summary>
    private async Task CleanUpAsync(IReadOnlyList<JsonObject> created, string action, Exception error, ReleaseActionOptions o, CancellationToken cancellationToken)
    {
        var log = new HelmLog(o.Log);
        log.Debug("cleanup on fail set, cleaning up resources", ("count", created.Count));
        try
        {
            await Resources.DeleteAsync(created, cancellationToken);
        }
        catch (Exception e) when (e is Runtime.Apply.ApplyException or KubeApiException)
        {
            throw new HelmActionException(
                $"an error occurred while cleaning up resources. original {action} error: {error.Message}: unable to cleanup resources: {e.Message}", inner: error);
        }

        log.Debug("resource cleanup complete");
    }

    /// <summary>A new revision of a rendered chart, applied server-side (its <see cref="Release.Info"/> is the caller's).</summary>
    internal static Release NewRevision(
        ReleaseActionOptions o, int version, Chart chart, GoMap values, RenderedRelease rendered, IReadOnlyDictionary<string, string> labels) => new()
        {
            Name = o.ReleaseName,
            Namespace = o.Namespace,
            Version = version,
            Chart = ReleaseChartJson.Write(chart),
            Config = ToJson(values),
            Manifest = rendered.Manifest,
            Hooks = rendered.Hooks.Select(ReleaseHook.From).ToList(),
            ApplyMethod = "ssa",
            Labels = labels,
        };

    /// <summary>The record of a failed action: the hooks' runs as far as they went, status <c>failed</c>.</summary>
    internal static Release Failed(Release release, Exception error, string description) =>
        (error is HelmActionException { Release: { } withHooks } ? withHooks : release).WithStatus(ReleaseStatus.Failed, description);

    /// <summary>Applies the target resources, deletes those the release no longer has, and waits when asked.</summary>
    internal async Task DeployAsync(IReadOnlyList<JsonObject> current, IReadOnlyList<JsonObject> target, ReleaseActionOptions o, CancellationToken cancellationToken)
    {
        var log = new HelmLog(o.Log);
        if (current.Count == 0)
        {
            log.Debug("creating resource(s)", ("resources", target.Count));
        }
        else
        {
            log.Debug("checking resources for changes", ("resources", target.Count));
        }

        if (o.ForceReplace)
        {
            await Resources.ReplaceAsync(target, cancellationToken, validate: !o.DisableOpenApiValidation);
        }
        else
        {
            await Resources.ApplyAsync(target, o.Timeout, cancellationToken, validate: !o.DisableOpenApiValidation);
        }

        var removed = ReleaseResources.Removed(current, target);
        foreach (var gone in removed)
        {
            log.Debug("deleting resource", ("namespace", gone.Namespace()), ("name", gone.Name()), ("kind", gone.Kind()));
        }

        await Resources.DeleteAsync(removed, cancellationToken);
        if (!o.Wait)
        {
            return;
        }

        log.Debug(o.WaitStrategy == HelmWaitStrategy.Legacy ? "beginning wait for resources" : "waiting for resources",
            ("count", target.Count), ("timeout", o.Timeout));
        if (await Resources.WaitReadyAsync(target, o, cancellationToken) is { } notReady)
        {
            log.Error("wait for resources failed", ("error", notReady));
            throw new HelmActionException(notReady);
        }
    }

    /// <summary>Helm's history limit before a new revision is stored: oldest first, never the deployed one.</summary>
    internal async Task PruneHistoryAsync(SecretReleaseStore store, string name, int maxHistory, CancellationToken cancellationToken)
    {
        if (maxHistory <= 0)
        {
            return;
        }

        var history = await store.HistoryAsync(name, cancellationToken);
        var deployed = history.LastOrDefault(r => r.Info.Status == ReleaseStatus.Deployed);
        var excess = history.Count - (maxHistory - 1);
        foreach (var old in history.Where(r => r != deployed).Take(Math.Max(0, excess)))
        {
            await store.DeleteAsync(name, old.Version, cancellationToken);
        }
    }

    /// <summary>Runs the hooks of an event unless hooks are disabled; a failure reads <paramref name="errorPrefix"/> + the hook's error.</summary>
    internal async Task<Release> RunHooksAsync(Release release, string hookEvent, ReleaseActionOptions o, string errorPrefix, CancellationToken cancellationToken)
    {
        if (o.DisableHooks)
        {
            return release;
        }

        try
        {
            return await Hooks.RunAsync(release, hookEvent, o.Timeout, cancellationToken, log: new HelmLog(o.Log));
        }
        catch (HookFailedException e)
        {
            throw new HelmActionException(errorPrefix + e.Message, e.Release, e);
        }
    }

    internal static JsonObject ToJson(GoMap values) => JsonNode.Parse(GoJson.Marshal(Value.Map(values))) as JsonObject ?? [];

    internal static GoMap FromJson(JsonObject values) => GoValues.FromJson(values) is { IsMap: true } v ? v.AsMap : new GoMap();
}
