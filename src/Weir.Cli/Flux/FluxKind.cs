using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// A Flux kind as the CLI addresses it, derived from its <see cref="KindRegistry"/> entry: its REST resource, its
/// sub-command noun (<c>oci</c>), the name flux uses in messages (<c>source oci</c>), where its revision lives and
/// what a successful reconciliation reports. A kind added to the CRD catalog shows up here without further code.
/// </summary>
public sealed record FluxKind(ServedKind Served)
{
    public KubeResource Resource => Served.Resource;

    public string Kind => Served.Kind;

    public KindRole Role => Served.Role;

    /// <summary>The sub-command noun: <c>oci</c> under <c>source</c>, <c>kustomization</c>, <c>helmrelease</c>.</summary>
    public string Noun => Served.Descriptor.Cli!.Noun;

    /// <summary>The name in flux's messages: <c>source oci</c>, <c>kustomization</c>.</summary>
    public string HumanKind => Role == KindRole.Source ? $"source {Noun}" : Noun;

    private string SuccessVerb => Role == KindRole.Source ? "fetched" : "applied";

    /// <summary>flux's line after a successful reconcile: "fetched revision …" or "applied revision …".</summary>
    public string SuccessMessage(JsonObject obj) => $"{SuccessVerb} revision {Revision(obj)}";

    /// <summary>
    /// The revision flux shows: a source's artifact revision, an applier's last applied revision — except a
    /// HelmRelease, which shows the chart version of its newest release.
    /// </summary>
    public string Revision(JsonObject obj) => Role switch
    {
        KindRole.Source => Str(obj["status"]?["artifact"]?["revision"]),
        _ when Kind == Core.Api.Helm.HelmRelease.KindName => HelmReleaseRevision(obj),
        _ => Str(obj["status"]?["lastAppliedRevision"]),
    };

    /// <summary>Sources and appliers in the order <c>flux get all</c> prints them (sources first).</summary>
    public static IReadOnlyList<FluxKind> All { get; } =
        [.. KindRegistry.Served.Where(k => k.Descriptor.Cli is not null && k.Role is KindRole.Source or KindRole.Applier).Select(k => new FluxKind(k)).OrderBy(k => k.Served.Descriptor.Cli!.GetAllOrder)];

    /// <summary>Source kinds in the order <c>flux get sources all</c> prints them.</summary>
    public static IReadOnlyList<FluxKind> Sources { get; } = [.. All.Where(k => k.Role == KindRole.Source)];

    /// <summary>Applier kinds (Kustomization, HelmRelease) in <c>flux get all</c> order.</summary>
    public static IReadOnlyList<FluxKind> Appliers { get; } = [.. All.Where(k => k.Role == KindRole.Applier)];

    /// <summary>Every kind in the order <c>flux stats</c> prints them.</summary>
    public static IReadOnlyList<FluxKind> InStatsOrder { get; } = [.. All.OrderBy(k => k.Served.Descriptor.Cli!.StatsOrder)];

    // Declared after All: static initializers run in order.
    public static FluxKind OCIRepository { get; } = Of(KubeResource.OCIRepository);
    public static FluxKind HelmChart { get; } = Of(KubeResource.HelmChart);
    public static FluxKind Kustomization { get; } = Of(KubeResource.Kustomization);
    public static FluxKind HelmRelease { get; } = Of(KubeResource.HelmRelease);

    public static FluxKind Of(KubeResource resource) => All.Single(k => k.Resource == resource);

    /// <summary>Finds a kind by its Kind name, plural or short name, case-insensitively.</summary>
    public static FluxKind? Find(string name) => All.FirstOrDefault(k => k.Served.IsNamed(name));

    /// <summary>The chart version of the newest release in history, else the last attempted revision.</summary>
    private static string HelmReleaseRevision(JsonObject obj) =>
        obj["status"]?["history"] is JsonArray { Count: > 0 } history
            ? Str(history[0]?["chartVersion"])
            : Str(obj["status"]?["lastAttemptedRevision"]);

    internal static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
