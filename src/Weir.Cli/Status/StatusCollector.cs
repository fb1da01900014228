using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Oci.Distribution;
using Weir.Runtime.Apply;
using Weir.Runtime.Controllers;
using Weir.Runtime.Health;
using Weir.Runtime.Kube;
using Weir.Sources.OciRepositories;
using FluxKind = Weir.Cli.Flux.FluxKind;
using ReleaseObjects = Weir.Cli.Flux.ReleaseObjects;

namespace Weir.Cli.Status;

/// <summary>
/// Fetches what <see cref="StatusEvaluator"/> judges: the OCIRepository, the Kustomizations and HelmReleases using
/// it, their applied Deployments, and the registry's tags (with the source's own credentials).
/// </summary>
public sealed class StatusCollector(ResourceClient client)
{
    /// <summary>Returns null when the OCIRepository does not exist.</summary>
    public async Task<AppStatusInput?> CollectAsync(string ns, string app, string? version, CancellationToken cancellationToken)
    {
        var sourceObject = await client.GetAsync(KubeResource.OCIRepository, new ObjectKey(ns, app), cancellationToken);
        if (sourceObject is null)
        {
            return null;
        }

        var source = ApiObjects.Read<OCIRepository>(sourceObject);
        var consumers = new List<ConsumerState>();
        foreach (var item in await ListAsync(KubeResource.Kustomization, ns, cancellationToken))
        {
            var kustomization = ApiObjects.Read<Kustomization>(item);
            var sourceRef = kustomization.Spec?.SourceRef;
            if (sourceRef?.Kind == OCIRepository.KindName && sourceRef.Name == app && (sourceRef.Namespace ?? item.Namespace()) == ns)
            {
                consumers.Add(new ConsumerState("Kustomization", item.Namespace(), item.Name(), kustomization.Spec?.Suspend == true,
                    kustomization.Status?.Conditions ?? [], kustomization.Status?.LastAppliedRevision,
                    await WorkloadsAsync(Inventory.Read(item)?.Entries ?? [], cancellationToken), LastFailure(kustomization.Status)));
            }
        }

        foreach (var item in await ListAsync(KubeResource.HelmRelease, ns, cancellationToken))
        {
            var chartRef = item["spec"]?["chartRef"];
            if (chartRef?["kind"]?.GetValue<string>() == OCIRepository.KindName && chartRef["name"]?.GetValue<string>() == app
                && (chartRef["namespace"]?.GetValue<string>() ?? item.Namespace()) == ns)
            {
                var conditions = ConditionJson.Read(item).Items;
                consumers.Add(new ConsumerState("HelmRelease", item.Namespace(), item.Name(), item["spec"]?["suspend"]?.GetValue<bool>() == true,
                    conditions, FluxKind.HelmRelease.Revision(item) is { Length: > 0 } chartVersion ? chartVersion : null,
                    await WorkloadsAsync(await ReleaseObjects.ReadAsync(client, item, cancellationToken), cancellationToken)));
            }
        }

        return new AppStatusInput
        {
            Source = source,
            Consumers = consumers,
            Registry = await TagsAsync(ns, source, cancellationToken),
            RequestedVersion = version,
            Now = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>All namespaces when allowed (sources can feed other namespaces), else the source's namespace.</summary>
    private async Task<List<JsonObject>> ListAsync(KubeResource resource, string ns, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.ListAsync(resource, null, cancellationToken: cancellationToken)).Items;
        }
        catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return (await client.ListAsync(resource, ns, cancellationToken: cancellationToken)).Items;
        }
    }

    /// <summary>
    /// When the latest attempt at the revision being tried failed (a retry then shows Ready Unknown while it runs):
    /// <c>the last attempt at v2.2.0 ended HealthCheckFailed</c>.
    /// </summary>
    public static string? LastFailure(KustomizationStatus? status)
    {
        var latest = status?.History?.MaxBy(h => h.LastReconciled);
        var revision = latest?.Metadata?.GetValueOrDefault("revision");
        if (latest is null || latest.LastReconciledStatus is null or ConditionReasons.ReconciliationSucceeded
            || revision is null || revision != status!.LastAttemptedRevision)
        {
            return null;
        }

        var attempts = latest.TotalReconciliations is > 1 ? $" ({latest.TotalReconciliations} attempts)" : "";
        return $"the last attempt at {StatusEvaluator.TagOf(revision) ?? revision} ended {latest.LastReconciledStatus}{attempts}";
    }

    /// <summary>The Deployments among what a Kustomization applied (its inventory) or a HelmRelease released, with their kstatus.</summary>
    private async Task<IReadOnlyList<WorkloadState>> WorkloadsAsync(IEnumerable<ObjectRef> applied, CancellationToken cancellationToken)
    {
        var result = new List<WorkloadState>();
        foreach (var entry in applied)
        {
            if (entry is not { Group: "apps", Kind: "Deployment" })
            {
                continue;
            }

            var id = entry.Subject;
            var deployment = await client.GetAsync(KubeResource.Deployment, new ObjectKey(entry.Namespace, entry.Name), cancellationToken);
            var health = KStatus.Compute(deployment);
            result.Add(new WorkloadState(id, health.Status switch
            {
                HealthStatus.Current => WorkloadHealth.Current,
                HealthStatus.Failed => WorkloadHealth.Failed,
                HealthStatus.NotFound => WorkloadHealth.NotFound,
                _ => WorkloadHealth.InProgress,
            }, health.Message));
        }

        return result;
    }

    private async Task<RegistryTags> TagsAsync(string ns, OCIRepository source, CancellationToken cancellationToken)
    {
        try
        {
            var url = source.Spec?.Url ?? "";
            var reference = OciReference.Parse(url.StartsWith("oci://", StringComparison.Ordinal) ? url["oci://".Length..] : url);
            var options = await new RegistryAccess(client).OptionsForAsync(ns, source.Spec!, reference, cancellationToken);
            options = options with { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(10) };
            using var registry = new RegistryClient(reference.Host, options);
            return new RegistryTags(await registry.ListTagsAsync(reference.Repository, cancellationToken));
        }
        catch (Exception e) when (e is RegistryException or ReconcileFailure or HttpRequestException or FormatException or TaskCanceledException)
        {
            return new RegistryTags(null, e.Message);
        }
    }
}
