using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Health;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Apply;

/// <summary>How a set of objects is applied.</summary>
public sealed record ApplyOptions
{
    /// <summary>Recreate objects whose dry-run fails on an immutable field (<c>spec.force</c>).</summary>
    public bool Force { get; init; }

    /// <summary>Objects carrying any of these labels/annotations are recreated on immutable-field errors too.</summary>
    public IReadOnlyDictionary<string, string> ForceSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>Objects carrying any of these labels/annotations (desired or in cluster) are skipped.</summary>
    public IReadOnlyDictionary<string, string> ExclusionSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>Objects carrying any of these are only created, never updated.</summary>
    public IReadOnlyDictionary<string, string> IfNotPresentSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for CRDs and namespaces of the first stages to be ready.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan WaitInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>spec.ignore</c>: fields left out of drift detection, and kept at their cluster state when an object that
    /// drifted otherwise is applied. Objects being created get them as written.
    /// </summary>
    public IReadOnlyList<IgnoreRule>? Ignore { get; init; }

    /// <summary>Metadata cleaned from objects already in the cluster before they are compared and applied.</summary>
    public ApplyCleanupOptions? Cleanup { get; init; }

    /// <summary>The server's field validation of unknown fields (<c>Strict</c>, <c>Warn</c>, <c>Ignore</c>); null leaves the server's default.</summary>
    public string? FieldValidation { get; init; }
}

/// <summary>One object of <see cref="ServerSideApplier.DiffAsync"/>: its action, the object in the cluster and the dry-run result.</summary>
public sealed record DiffEntry(ObjectRef Object, string Action, JsonObject? Existing, JsonObject? DryRun);

/// <summary>An apply that stopped; <see cref="ChangeSet"/> holds what was applied before it.</summary>
public sealed class ApplyException(string message, ChangeSet changeSet, Exception? inner = null) : Exception(message, inner)
{
    public ChangeSet ChangeSet { get; } = changeSet;
}

/// <summary>
/// Applies objects with server-side apply the way Flux's resource manager does. Every object is first validated
/// with a server-side dry-run apply, and nothing is written unless all of them pass (objects whose namespace or
/// kind is created by an earlier stage are validated in their stage). Then it applies in stages — cluster
/// definitions (CRDs, Namespaces, ClusterRoles), waiting until they are ready, then <c>…Class</c> kinds, then the
/// rest — sending only objects whose dry-run result differs from the cluster (drift), and reporting a change set.
/// </summary>
public sealed partial class ServerSideApplier(ResourceClient client, ResourceMapper mapper, string fieldManager, int concurrency = 4)
{
    private readonly HealthChecker _health = new(client, mapper);

    public ResourceClient Client => client;

    public ResourceMapper Mapper => mapper;

    /// <summary>Sets the ownership labels <c>&lt;group&gt;/name</c> and <c>&lt;group&gt;/namespace</c>.</summary>
    public static void SetOwnerLabels(IEnumerable<JsonObject> objects, string ownerGroup, string name, string ns)
    {
        foreach (var obj in objects)
        {
            obj.SetLabel($"{ownerGroup}/name", name);
            obj.SetLabel($"{ownerGroup}/namespace", ns);
        }
    }

    public async Task<ChangeSet> ApplyAllStagedAsync(IReadOnlyList<JsonObject> objects, ApplyOptions options, CancellationToken cancellationToken = default)
    {
        DriftIgnoreRules ignore;
        try
        {
            ignore = DriftIgnoreRules.Parse(options.Ignore);
        }
        catch (InvalidIgnoreRuleException e)
        {
            throw new ApplyException(e.Message, new ChangeSet(), e);
        }

        var validated = await ValidateAsync(objects, options, cancellationToken);
        var changeSet = new ChangeSet();
        var stages = ApplyOrder.Stages(objects);
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i].Count == 0)
            {
                continue;
            }

            var stage = await ApplyAllAsync(stages[i], options, ignore, validated, changeSet, cancellationToken);
            changeSet.Append(stage.Entries);
            if (i < 2)
            {
                var refs = stage.Entries.Where(e => e.Action != ChangeAction.Skipped).Select(e => e.Object).ToList();
                if (await _health.WaitAsync(refs, options.WaitTimeout, options.WaitInterval, cancellationToken) is { } error)
                {
                    throw new ApplyException(error, changeSet);
                }
            }
        }

        return changeSet;
    }

    /// <summary>Deletes objects (reverse apply order), skipping those not carrying all <paramref name="inclusions"/> or carrying any exclusion.</summary>
    public async Task<ChangeSet> DeleteAllAsync(
        IEnumerable<ObjectRef> objects, IReadOnlyDictionary<string, string> inclusions, IReadOnlyDictionary<string, string> exclusions,
        CancellationToken cancellationToken = default, string propagationPolicy = "Background")
    {
        var changeSet = new ChangeSet();
        var errors = "";
        foreach (var o in objects.OrderByDescending(o => o, ApplyOrder.Comparer))
        {
            try
            {
                var resource = await mapper.MapAsync(o.Gvk, cancellationToken);
                var key = new ObjectKey(resource.Namespaced ? o.Namespace : "", o.Name);
                var existing = await client.GetAsync(resource, key, cancellationToken);
                if (existing is null)
                {
                    changeSet.Add(new(o, ChangeAction.Deleted));
                    continue;
                }

                var labels = existing.Labels();
                if (inclusions.Any(i => labels.GetValueOrDefault(i.Key) != i.Value) || AnyInMetadata(existing, exclusions))
                {
                    changeSet.Add(new(o, ChangeAction.Skipped));
                    continue;
                }

                await client.DeleteAsync(resource, key, cancellationToken, propagationPolicy);
                changeSet.Add(new(o, ChangeAction.Deleted));
            }
            catch (NoKindMatchException)
            {
                changeSet.Add(new(o, ChangeAction.Deleted)); // the kind is gone, so is the object
            }
            catch (KubeApiException e)
            {
                changeSet.Add(new(o, ChangeAction.Unknown));
                errors += $"{o.Subject} delete failed: {e.Message};";
            }
        }

        return errors.Length > 0 ? throw new ApplyException($"delete failed, errors: {errors}", changeSet) : changeSet;
    }

    /// <summary>Waits until the objects are gone, or throws naming the first one still present at the timeout.</summary>
    public async Task WaitForTerminationAsync(IEnumerable<ObjectRef> objects, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        foreach (var o in objects)
        {
            try
            {
                while ((await _health.StatusOfAsync(o, timeoutSource.Token)).Health.Status != HealthStatus.NotFound)
                {
                    await WorkerSlot.DelayAsync(interval, TimeProvider.System, timeoutSource.Token);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new ApplyException($"{o.Subject} termination timeout: context deadline exceeded", new ChangeSet());
            }
        }
    }

    /// <summary>
    /// Dry-runs every object; throws the first failure in apply order unless it only fails because an earlier
    /// stage has yet to create its namespace or kind. Returns the dry-run results by object.
    /// </summary>
    /// <summary>
    /// What applying <paramref name="objects"/> would change, without changing anything (flux diff): each object is
    /// <see cref="ChangeAction.Created"/> when absent from the cluster, <see cref="ChangeAction.Configured"/> when
    /// its server-side dry-run apply drifted from the cluster (the same test and <c>spec.ignore</c> rules as an
    /// apply), <see cref="ChangeAction.Unchanged"/> otherwise, or <see cref="ChangeAction.Skipped"/> when excluded.
    /// Nothing is recreated: a failing dry-run is an <see cref="ApplyException"/>.
    /// </summary>
    public async Task<IReadOnlyList<DiffEntry>> DiffAsync(IReadOnlyList<JsonObject> objects, ApplyOptions options, CancellationToken cancellationToken = default)
    {
        DriftIgnoreRules ignore;
        try
        {
            ignore = DriftIgnoreRules.Parse(options.Ignore);
        }
        catch (InvalidIgnoreRuleException e)
        {
            throw new ApplyException(e.Message, new ChangeSet(), e);
        }

        var entries = new DiffEntry[objects.Count];
        await Parallel.ForAsync(0, objects.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var obj = objects[i];
            var reference = ObjectRef.Of(obj);
            var existing = await ExistingAsync(obj, ct);
            if (AnyInMetadata(obj, options.ExclusionSelector) || (existing is not null && AnyInMetadata(existing, options.ExclusionSelector))
                || (existing is not null && AnyInMetadata(obj, options.IfNotPresentSelector)))
            {
                entries[i] = new(reference, ChangeAction.Skipped, existing, null);
                return;
            }

            if (existing is null)
            {
                entries[i] = new(reference, ChangeAction.Created, null, null);
                return;
            }

            JsonObject dryRun;
            try
            {
                var resource = await mapper.MapAsync(obj.Gvk(), ct);
                dryRun = await client.ApplyAsync(resource, Prepared(obj, resource), fieldManager, force: true, dryRun: true, ct, options.FieldValidation);
            }
            catch (Exception e) when (e is KubeApiException or NoKindMatchException)
            {
                throw new ApplyException(DryRunMessage(reference, e), new ChangeSet(), e);
            }

            var ignored = ignore.PathsFor(dryRun);
            if (ignored.Count > 0)
            {
                existing = IgnoredFields.Without(existing, ignored);
                dryRun = IgnoredFields.Without(dryRun, ignored);
            }

            entries[i] = new(reference, Drift.HasDrifted(existing, dryRun) ? ChangeAction.Configured : ChangeAction.Unchanged, existing, dryRun);
        });
        return entries;
    }

    private async Task<ConcurrentDictionary<ObjectRef, JsonObject>> ValidateAsync(
        IReadOnlyList<JsonObject> objects, ApplyOptions options, CancellationToken cancellationToken)
    {
        var results = new ConcurrentDictionary<ObjectRef, JsonObject>();
        var failures = new ConcurrentDictionary<ObjectRef, Exception>();
        var namespaces = objects.Where(o => o.Kind() == "Namespace" && o.ApiVersion() == "v1").Select(o => o.Name()).ToHashSet();
        var definesKinds = objects.Any(ApplyOrder.IsCrd);
        await Parallel.ForEachAsync(objects, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (obj, ct) =>
        {
            if (AnyInMetadata(obj, options.ExclusionSelector) || AnyInMetadata(obj, options.IfNotPresentSelector))
            {
                return;
            }

            try
            {
                var resource = await mapper.MapAsync(obj.Gvk(), ct);
                results[ObjectRef.Of(obj)] = await client.ApplyAsync(resource, Prepared(obj, resource), fieldManager, force: true, dryRun: true, ct, options.FieldValidation);
            }
            catch (NoKindMatchException) when (definesKinds)
            {
                // Its CRD is applied in the first stage; validated then.
            }
            catch (KubeApiException e) when (e.IsNotFound && namespaces.Contains(obj.Namespace()))
            {
                // Its namespace is created in the first stage; validated then.
            }
            catch (Exception e) when (e is KubeApiException or NoKindMatchException)
            {
                failures[ObjectRef.Of(obj)] = e;
            }
        });

        foreach (var failed in failures.Keys.Order(ApplyOrder.Comparer))
        {
            var desired = objects.First(o => ObjectRef.Of(o) == failed);
            var error = failures[failed];
            var existing = error is KubeApiException ? await ExistingAsync(desired, cancellationToken) : null;
            if (existing is null || error is not KubeApiException api || !ShouldForce(desired, existing, options, api))
            {
                throw new ApplyException(DryRunMessage(failed, error), new ChangeSet(), error);
            }

            // Recreated in its stage (spec.force).
        }

        return results;
    }

    private async Task<ChangeSet> ApplyAllAsync(
        List<JsonObject> objects, ApplyOptions options, DriftIgnoreRules ignore, ConcurrentDictionary<ObjectRef, JsonObject> validated,
        ChangeSet applied, CancellationToken cancellationToken)
    {
        var entries = new ChangeSetEntry[objects.Count];
        var toApply = new JsonObject?[objects.Count];
        var resources = new KubeResource?[objects.Count];
        await Parallel.ForAsync(0, objects.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var obj = objects[i];
            var reference = ObjectRef.Of(obj);

            // A dry-run without resourceVersion means the object does not exist yet: no need to read it.
            var existing = validated.TryGetValue(reference, out var checkedRun) && checkedRun.ResourceVersion().Length == 0
                ? null
                : await ExistingAsync(obj, ct);
            if (AnyInMetadata(obj, options.ExclusionSelector) || (existing is not null && AnyInMetadata(existing, options.ExclusionSelector))
                || (existing is not null && AnyInMetadata(obj, options.IfNotPresentSelector)))
            {
                entries[i] = new(reference, ChangeAction.Skipped);
                return;
            }

            KubeResource resource;
            try
            {
                resource = await mapper.MapAsync(obj.Gvk(), ct);
            }
            catch (NoKindMatchException e)
            {
                throw new ApplyException(DryRunMessage(reference, e), Copy(applied), e);
            }

            resources[i] = resource;
            if (!validated.TryGetValue(reference, out var dryRun))
            {
                dryRun = await DryRunAsync(obj, existing, resource, options, applied, ct);

                // A controller may write the object between the read and the dry-run (a Deployment's revision
                // annotation): compare the dry-run with the version it was made from, not an older one.
                for (var reread = 0; reread < 3 && existing is not null && dryRun.ResourceVersion() is { Length: > 0 } version
                    && version != existing.ResourceVersion(); reread++)
                {
                    existing = await ExistingAsync(obj, ct);
                    dryRun = await DryRunAsync(obj, existing, resource, options, applied, ct);
                }
            }

            var cleaned = existing is not null && await CleanUpAsync(obj, existing, resource, options, applied, ct);
            var ignored = existing is null ? [] : ignore.PathsFor(dryRun);
            if (cleaned || HasDrifted(existing, dryRun, ignored))
            {
                toApply[i] = ignored.Count == 0 ? obj : IgnoredFields.Resolve(obj, existing!, dryRun, ignored, fieldManager);
                entries[i] = new(reference, existing is null || dryRun.ResourceVersion().Length == 0 ? ChangeAction.Created : ChangeAction.Configured);
            }
            else
            {
                entries[i] = new(reference, ChangeAction.Unchanged);
            }
        });

        for (var i = 0; i < objects.Count; i++)
        {
            if (toApply[i] is not { } obj)
            {
                continue;
            }

            try
            {
                await client.ApplyAsync(resources[i]!, Prepared(obj, resources[i]!), fieldManager, force: true, cancellationToken: cancellationToken, fieldValidation: options.FieldValidation);
            }
            catch (KubeApiException e)
            {
                var done = new ChangeSet();
                done.Append(applied.Entries);
                done.Append(entries.Take(i).Where((_, j) => toApply[j] is not null));
                throw new ApplyException($"{ObjectRef.Of(obj).Subject} apply failed: {e.Message}", done, e);
            }
        }

        var result = new ChangeSet();
        result.Append(entries);
        return result;
    }

    /// <summary>Runs <see cref="ApplyCleanup"/> on an object in the cluster; true when it changed anything.</summary>
    private async Task<bool> CleanUpAsync(
        JsonObject desired, JsonObject existing, KubeResource resource, ApplyOptions options, ChangeSet applied, CancellationToken cancellationToken)
    {
        if (options.Cleanup is not { } cleanup || AnyInMetadata(desired, cleanup.Exclusions) || AnyInMetadata(existing, cleanup.Exclusions)
            || ApplyCleanup.Patch(existing, cleanup, fieldManager) is not { } patch)
        {
            return false;
        }

        try
        {
            await client.PatchAsync(resource, existing.Key(), patch, "json", fieldManager: fieldManager, cancellationToken: cancellationToken);
            return true;
        }
        catch (KubeApiException e)
        {
            throw new ApplyException($"{ObjectRef.Of(desired).Subject} metadata.managedFields cleanup failed: {e.Message}", Copy(applied), e);
        }
    }

    private async Task<JsonObject> DryRunAsync(
        JsonObject obj, JsonObject? existing, KubeResource resource, ApplyOptions options, ChangeSet applied,
        CancellationToken cancellationToken)
    {
        var reference = ObjectRef.Of(obj);
        try
        {
            return await client.ApplyAsync(resource, Prepared(obj, resource), fieldManager, force: true, dryRun: true, cancellationToken, options.FieldValidation);
        }
        catch (KubeApiException e) when (existing is not null && ShouldForce(obj, existing, options, e))
        {
            await RecreateAsync(resource, existing, reference, options, applied, cancellationToken);
            try
            {
                return await client.ApplyAsync(resource, Prepared(obj, resource), fieldManager, force: true, dryRun: true, cancellationToken, options.FieldValidation);
            }
            catch (KubeApiException again)
            {
                throw new ApplyException(DryRunMessage(reference, again), Copy(applied), again);
            }
        }
        catch (KubeApiException e)
        {
            throw new ApplyException(DryRunMessage(reference, e), Copy(applied), e);
        }
    }

    private async Task RecreateAsync(
        KubeResource resource, JsonObject existing, ObjectRef reference, ApplyOptions options, ChangeSet applied,
        CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(resource, existing.Key(), cancellationToken, propagationPolicy: "Background");
        }
        catch (KubeApiException e)
        {
            throw new ApplyException($"{reference.Subject} immutable field detected, failed to delete object: {e.Message}", Copy(applied), e);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.WaitTimeout);
        try
        {
            while (await client.GetAsync(resource, existing.Key(), timeout.Token) is not null)
            {
                await WorkerSlot.DelayAsync(TimeSpan.FromMilliseconds(200), TimeProvider.System, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApplyException(
                $"{reference.Subject} immutable field detected, failed to wait for object to be deleted: context deadline exceeded", Copy(applied));
        }
    }

    private async Task<JsonObject?> ExistingAsync(JsonObject obj, CancellationToken cancellationToken)
    {
        try
        {
            var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
            return await client.GetAsync(resource, new ObjectKey(resource.Namespaced ? obj.Namespace() : "", obj.Name()), cancellationToken);
        }
        catch (Exception e) when (e is NoKindMatchException or KubeApiException)
        {
            // Unreadable (e.g. Forbidden) counts as absent here; the dry-run reports the real cause.
            return null;
        }
    }

    /// <summary>A cluster-scoped object must not carry a namespace in its apply body.</summary>
    private static JsonObject Prepared(JsonObject obj, KubeResource resource)
    {
        if (resource.Namespaced || obj.Namespace().Length == 0)
        {
            return obj;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy.Metadata()!.Remove("namespace");
        return copy;
    }

    private static ChangeSet Copy(ChangeSet applied)
    {
        var set = new ChangeSet();
        set.Append(applied.Entries);
        return set;
    }

    /// <summary>Flux's dry-run error: <c>Kind/ns/name dry-run failed (Reason): message</c>.</summary>
    public static string DryRunMessage(ObjectRef o, Exception error)
    {
        if (error is KubeApiException { IsNotFound: true } notFound)
        {
            return o.Namespace.Length == 0
                ? $"{o.Subject} namespace not specified: {notFound.Message}"
                : $"{o.Subject} not found: {notFound.Message}";
        }

        var reason = error is KubeApiException api && api.Reason.Length > 0 ? $" ({api.Reason})" : "";
        return $"{o.Subject} dry-run failed{reason}: {error.Message}";
    }

    /// <summary><see cref="Drift.HasDrifted"/>: a new object, different labels or annotations, or a different body.</summary>
    public static bool HasDrifted(JsonObject? existing, JsonObject dryRun) => Drift.HasDrifted(existing, dryRun);

    /// <summary><see cref="HasDrifted(JsonObject?, JsonObject)"/> with the <c>spec.ignore</c> paths left out of both sides.</summary>
    private static bool HasDrifted(JsonObject? existing, JsonObject dryRun, IReadOnlyList<string> ignored) =>
        existing is null || ignored.Count == 0
            ? Drift.HasDrifted(existing, dryRun)
            : Drift.HasDrifted(IgnoredFields.Without(existing, ignored), IgnoredFields.Without(dryRun, ignored));

    private static bool ShouldForce(JsonObject desired, JsonObject existing, ApplyOptions options, KubeApiException error) =>
        IsImmutableError(error) && (options.Force || AnyInMetadata(desired, options.ForceSelector) || AnyInMetadata(existing, options.ForceSelector));

    /// <summary>Flux treats conflicts, invalid objects and any message naming an immutable field as immutable-field errors.</summary>
    public static bool IsImmutableError(KubeApiException error) =>
        error.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity
        || error.Reason is "Conflict" or "Invalid"
        || ImmutablePattern().IsMatch(error.Message);

    /// <summary>True when any selector pair is among the object's labels or annotations.</summary>
    public static bool AnyInMetadata(JsonObject obj, IReadOnlyDictionary<string, string> selector)
    {
        if (selector.Count == 0)
        {
            return false;
        }

        var labels = obj.Labels();
        var annotations = obj.Annotations();
        return selector.Any(s =>
            string.Equals(labels.GetValueOrDefault(s.Key), s.Value, StringComparison.OrdinalIgnoreCase)
            || string.Equals(annotations.GetValueOrDefault(s.Key), s.Value, StringComparison.OrdinalIgnoreCase));
    }

    [GeneratedRegex(@"is\simmutable|immutable\sfield")]
    private static partial Regex ImmutablePattern();
}
