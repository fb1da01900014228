using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Apply;
using Weir.Runtime.Health;
using Weir.Runtime.Kube;

namespace Weir.Helm.Actions;

/// <summary>
/// A release's resources in the cluster: the manifest read into objects (namespaced ones put in the release's
/// namespace, marked with Helm's ownership metadata), applied server-side as Helm 4 does (field manager
/// <c>helm</c>), checked for ownership, deleted (except <c>helm.sh/resource-policy: keep</c>), waited for with kstatus.
/// </summary>
internal sealed class ReleaseResources(ResourceClient client, ResourceMapper mapper)
{
    public const string FieldManager = "helm";
    public const string ReleaseNameAnnotation = "meta.helm.sh/release-name";
    public const string ReleaseNamespaceAnnotation = "meta.helm.sh/release-namespace";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ResourcePolicyAnnotation = "helm.sh/resource-policy";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly ServerSideApplier applier = new(client, mapper, FieldManager);

    public ResourceClient Client => client;

    /// <summary>The manifest's objects; with <paramref name="owner"/> each carries the release's ownership metadata.</summary>
    /// <exception cref="HelmActionException">A document is not an object or its kind is unknown to the cluster.</exception>
    public async Task<List<JsonObject>> BuildAsync(string manifest, string ns, string? owner, CancellationToken cancellationToken)
    {
        IReadOnlyList<JsonNode?> docs;
        try
        {
            docs = KubeYaml.ParseAll(manifest);
        }
        catch (YamlException e)
        {
            throw new HelmActionException($"unable to build kubernetes objects from release manifest: {e.Message}", inner: e);
        }

        var objects = new List<JsonObject>();
        foreach (var doc in docs)
        {
            if (doc is not JsonObject obj)
            {
                continue;
            }

            KubeResource resource;
            try
            {
                resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
            }
            catch (NoKindMatchException e)
            {
                throw new HelmActionException(
                    $"unable to build kubernetes objects from release manifest: resource mapping not found for name: \"{obj.Name()}\" namespace: \"{obj.Namespace()}\" from \"\": no matches for kind \"{e.Gvk.Kind}\" in version \"{obj["apiVersion"]}\"", inner: e);
            }

            if (resource.Namespaced && obj.Namespace().Length == 0)
            {
                obj.SetNamespace(ns);
            }

            if (owner is not null)
            {
                obj.SetAnnotation(ReleaseNameAnnotation, owner);
                obj.SetAnnotation(ReleaseNamespaceAnnotation, ns);
                obj.SetLabel(ManagedByLabel, "Helm");
            }

            objects.Add(obj);
        }

        return objects;
    }

    /// <summary>Fails when an object exists already without this release's ownership metadata (Helm's import check).</summary>
    public async Task CheckOwnershipAsync(IEnumerable<JsonObject> objects, string release, string ns, string action, CancellationToken cancellationToken)
    {
        foreach (var obj in objects)
        {
            var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
            var existing = await client.GetAsync(resource, new ObjectKey(obj.Namespace(), obj.Name()), cancellationToken);
            if (existing is null)
            {
                continue;
            }

            var annotations = existing.Annotations();
            var problem = (annotations.GetValueOrDefault(ReleaseNameAnnotation), annotations.GetValueOrDefault(ReleaseNamespaceAnnotation)) switch
            {
                (null, _) => $"missing key \"{ReleaseNameAnnotation}\": must be set to \"{release}\"",
                (var n, _) when n != release => $"key \"{ReleaseNameAnnotation}\" must equal \"{release}\": current value is \"{n}\"",
                (_, var n) when n != ns => $"key \"{ReleaseNamespaceAnnotation}\" must equal \"{ns}\": current value is \"{n}\"",
                _ => null,
            };
            if (problem is not null)
            {
                var where = obj.Namespace().Length > 0 ? $" in namespace \"{obj.Namespace()}\"" : "";
                throw new ResourceOwnershipException(
                    $"Unable to continue with {action}: {obj["kind"]} \"{obj.Name()}\"{where} exists and cannot be imported into the current release: invalid ownership metadata; annotation validation error: {problem}");
            }
        }
    }

    /// <summary>
    /// Applies the objects in stages (CRDs and namespaces first), nothing written unless all pass a dry run; unknown
    /// fields are rejected (Helm's OpenAPI validation) unless <paramref name="validate"/> is false.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken, bool validate = true)
    {
        if (objects.Count > 0)
        {
            var options = new ApplyOptions { WaitTimeout = timeout, WaitInterval = PollInterval, FieldValidation = validate ? "Strict" : "Ignore" };
            await applier.ApplyAllStagedAsync(objects, options, cancellationToken);
        }
    }

    /// <summary>
    /// Helm's forced update: each object that exists is replaced (PUT) by its manifest, so fields other managers
    /// added are gone; the others are created. Install order.
    /// </summary>
    public async Task ReplaceAsync(IReadOnlyList<JsonObject> objects, CancellationToken cancellationToken, bool validate = true)
    {
        foreach (var obj in ApplyOrder.Sorted(objects))
        {
            var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
            var key = new ObjectKey(resource.Namespaced ? obj.Namespace() : "", obj.Name());
            if (await client.GetAsync(resource, key, cancellationToken) is not { } live)
            {
                await client.ApplyAsync(resource, obj, FieldManager, force: true, cancellationToken: cancellationToken, fieldValidation: validate ? "Strict" : "Ignore");
                continue;
            }

            var replacement = obj.DeepClone().AsObject();
            replacement["metadata"]!["resourceVersion"] = live.ResourceVersion();
            await client.ReplaceAsync(resource, replacement, cancellationToken);
        }
    }

    /// <summary>The objects not in the cluster yet (what an update will create).</summary>
    public async Task<List<JsonObject>> MissingAsync(IEnumerable<JsonObject> objects, CancellationToken cancellationToken)
    {
        var missing = new List<JsonObject>();
        foreach (var obj in objects)
        {
            var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
            if (await client.GetAsync(resource, new ObjectKey(resource.Namespaced ? obj.Namespace() : "", obj.Name()), cancellationToken) is null)
            {
                missing.Add(obj);
            }
        }

        return missing;
    }

    /// <summary>
    /// Deletes the objects (reverse install order) except those Helm keeps, with the propagation policy given
    /// (<c>Background</c>, <c>Foreground</c> or <c>Orphan</c>); returns the kept ones.
    /// </summary>
    public async Task<IReadOnlyList<ObjectRef>> DeleteAsync(IEnumerable<JsonObject> objects, CancellationToken cancellationToken, string propagation = "Background")
    {
        var list = objects.ToList();
        var kept = list.Where(o => o.Annotations().GetValueOrDefault(ResourcePolicyAnnotation) == "keep").Select(ObjectRef.Of).ToList();
        var gone = list.Select(ObjectRef.Of).Except(kept).ToList();
        var keep = new Dictionary<string, string> { [ResourcePolicyAnnotation] = "keep" };
        var changes = await applier.DeleteAllAsync(gone, new Dictionary<string, string>(), keep, cancellationToken, propagation);
        return [.. kept, .. changes.Entries.Where(e => e.Action == ChangeAction.Skipped).Select(e => e.Object)];
    }

    /// <summary>
    /// Waits until every object is ready by the strategy's rules (Jobs left out unless <c>WaitForJobs</c>); the
    /// failure message otherwise.
    /// </summary>
    public Task<string?> WaitReadyAsync(IEnumerable<JsonObject> objects, ReleaseActionOptions o, CancellationToken cancellationToken)
    {
        var waited = objects.Where(x => o.WaitForJobs || x.Gvk() is not { Group: "batch", Kind: "Job" }).Select(ObjectRef.Of).ToList();
        return o.WaitStrategy == HelmWaitStrategy.Legacy
            ? new LegacyReadiness(client, mapper).WaitAsync(waited, o.Timeout, PollInterval, cancellationToken)
            : new HealthChecker(client, mapper, custom: o.HealthChecks).WaitAsync(waited, o.Timeout, PollInterval, cancellationToken);
    }

    public Task WaitDeletedAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken) =>
        applier.WaitForTerminationAsync(objects.Select(ObjectRef.Of).ToList(), timeout, TimeSpan.FromMilliseconds(250), cancellationToken);

    /// <summary>The objects of <paramref name="current"/> that <paramref name="target"/> no longer holds.</summary>
    public static List<JsonObject> Removed(IEnumerable<JsonObject> current, IEnumerable<JsonObject> target)
    {
        var wanted = target.Select(o => ObjectRef.Of(o).WithoutVersion).ToHashSet();
        return current.Where(o => !wanted.Contains(ObjectRef.Of(o).WithoutVersion)).ToList();
    }
}
