using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>What <c>weir install</c> put in a cluster: the controller Deployments and their leader Lease.</summary>
public static class Installed
{
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOf = "weir";
    public const string LeaseName = "weir-controllers";

    /// <summary>Weir's Deployments in the namespace (labelled part-of=weir); empty when none or the API lacks them.</summary>
    public static async Task<List<JsonObject>> DeploymentsAsync(ResourceClient client, string ns, CancellationToken token)
    {
        try
        {
            return (await client.ListAsync(KubeResource.Deployment, ns, $"{PartOfLabel}={PartOf}", token)).Items;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    /// <summary>Container name → image of every container in Weir's Deployments.</summary>
    public static async Task<List<(string Name, string Image)>> ControllerImagesAsync(ResourceClient client, string ns, CancellationToken token) =>
        [.. (await DeploymentsAsync(client, ns, token))
            .SelectMany(d => (d["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(c => (FluxKind.Str(c["name"]), FluxKind.Str(c["image"])))];

    /// <summary>The leader Lease, its holder and whether it was renewed within its duration.</summary>
    public static async Task<(string Holder, bool Fresh, TimeSpan Age)?> LeaseAsync(ResourceClient client, string ns, CancellationToken token)
    {
        if (await client.GetAsync(KubeResource.Lease, new ObjectKey(ns, LeaseName), token) is not { } lease)
        {
            return null;
        }

        var holder = FluxKind.Str(lease["spec"]?["holderIdentity"]);
        var duration = lease["spec"]?["leaseDurationSeconds"] is JsonValue d && d.TryGetValue<int>(out var seconds) ? seconds : 15;
        if (!DateTimeOffset.TryParse(FluxKind.Str(lease["spec"]?["renewTime"]), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var renewed))
        {
            return (holder, false, TimeSpan.MaxValue);
        }

        var age = DateTimeOffset.UtcNow - renewed;
        return (holder, holder.Length > 0 && age <= TimeSpan.FromSeconds(duration), age);
    }
}
