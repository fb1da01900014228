using System.Text.Json.Nodes;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Source;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// The HelmChart a HelmRelease's <c>spec.chart</c> template stands for: <c>NAMESPACE-NAME</c> in the source's
/// namespace, created and kept to the template (event <c>HelmChartCreated</c>), and deleted when the HelmRelease goes
/// or moves to <c>chartRef</c>. It carries the HelmRelease's name and namespace as labels, so it is known as owned.
/// </summary>
public sealed class ChartTemplates(ResourceClient client)
{
    public const string NameLabel = $"{HelmApi.Group}/name";
    public const string NamespaceLabel = $"{HelmApi.Group}/namespace";

    public static ObjectKey KeyFor(ObjectKey release, HelmChartTemplate template) =>
        new(template.Spec?.SourceRef?.Namespace is { Length: > 0 } ns ? ns : release.Namespace, $"{release.Namespace}-{release.Name}");

    /// <summary>Creates or updates the HelmChart; returns it as stored.</summary>
    public async Task<JsonObject> EnsureAsync(HelmReleaseRun run, HelmChartTemplate template, CancellationToken cancellationToken)
    {
        var key = KeyFor(run.Key, template);
        var wanted = Build(run, template, key);
        var existing = await client.GetAsync(KubeResource.HelmChart, key, cancellationToken);
        if (existing is null)
        {
            var created = await client.CreateAsync(KubeResource.HelmChart, wanted, cancellationToken);
            var source = template.Spec!.SourceRef!;
            await run.EventAsync(EventRecorder.Normal,
                $"Created HelmChart/{key} with SourceRef '{source.Kind}/{key.Namespace}/{source.Name}'", cancellationToken, ReleaseMessages.HelmChartCreated);
            return created;
        }

        if (JsonNode.DeepEquals(existing["spec"], wanted["spec"])
            && JsonNode.DeepEquals(existing.Metadata()?["labels"], wanted.Metadata()?["labels"])
            && JsonNode.DeepEquals(existing.Metadata()?["annotations"] ?? new JsonObject(), wanted.Metadata()?["annotations"] ?? new JsonObject()))
        {
            return existing;
        }

        return await client.PatchAsync(KubeResource.HelmChart, key, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = wanted.Metadata()?["labels"]?.DeepClone(),
                ["annotations"] = wanted.Metadata()?["annotations"]?.DeepClone(),
            },
            ["spec"] = wanted["spec"]!.DeepClone(),
        }, "merge", cancellationToken: cancellationToken);
    }

    /// <summary>Deletes the HelmChart <c>status.helmChart</c> names, when it is this HelmRelease's.</summary>
    public async Task DeleteAsync(HelmReleaseRun run, CancellationToken cancellationToken)
    {
        if (run.Status["helmChart"]?.GetValue<string>() is not { Length: > 0 } reference)
        {
            return;
        }

        var key = ObjectKey.Parse(reference);
        var chart = await client.GetAsync(KubeResource.HelmChart, key, cancellationToken);
        if (chart is not null && chart.Label(NameLabel) == run.Key.Name && chart.Label(NamespaceLabel) == run.Key.Namespace)
        {
            await client.DeleteAsync(KubeResource.HelmChart, key, cancellationToken);
        }

        run.Status.Remove("helmChart");
    }

    private static JsonObject Build(HelmReleaseRun run, HelmChartTemplate template, ObjectKey key)
    {
        var spec = template.Spec!;
        var chartSpec = new JsonObject
        {
            ["chart"] = spec.Chart,
            ["version"] = spec.Version is { Length: > 0 } v ? v : "*",
            ["sourceRef"] = new JsonObject { ["kind"] = spec.SourceRef!.Kind, ["name"] = spec.SourceRef.Name },
            ["interval"] = spec.Interval is { Length: > 0 } i ? i : run.Spec.Interval,
            ["reconcileStrategy"] = spec.ReconcileStrategy is { Length: > 0 } r ? r : "ChartVersion",
        };
        if (spec.SourceRef.ApiVersion is { Length: > 0 } apiVersion)
        {
            chartSpec["sourceRef"]!["apiVersion"] = apiVersion;
        }

        if (spec.ValuesFiles is { Count: > 0 } files)
        {
            chartSpec["valuesFiles"] = new JsonArray([.. files.Select(f => (JsonNode)JsonValue.Create(f)!)]);
        }

        if (spec.IgnoreMissingValuesFiles == true)
        {
            chartSpec["ignoreMissingValuesFiles"] = true;
        }

        if (spec.Verify is { } verify)
        {
            var verification = new JsonObject { ["provider"] = verify.Provider is { Length: > 0 } p ? p : "cosign" };
            if (verify.SecretRef?.Name is { Length: > 0 } secret)
            {
                verification["secretRef"] = new JsonObject { ["name"] = secret };
            }

            chartSpec["verify"] = verification;
        }

        var labels = new JsonObject();
        foreach (var (k, value) in template.Metadata?.Labels ?? new Dictionary<string, string>())
        {
            labels[k] = value;
        }

        labels[NameLabel] = run.Key.Name;
        labels[NamespaceLabel] = run.Key.Namespace;
        var metadata = new JsonObject { ["name"] = key.Name, ["namespace"] = key.Namespace, ["labels"] = labels };
        if (template.Metadata?.Annotations is { Count: > 0 } annotations)
        {
            metadata["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value)));
        }

        return new JsonObject
        {
            ["apiVersion"] = SourceApi.ApiVersion,
            ["kind"] = HelmChart.KindName,
            ["metadata"] = metadata,
            ["spec"] = chartSpec,
        };
    }
}
