using System.Text.Json.Nodes;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// A Flux kind as the CLI addresses it: its REST resource, the name flux uses in messages ("source oci"),
/// where its revision lives and what a successful reconciliation reports.
/// </summary>
public sealed record FluxKind(KubeResource Resource, string HumanKind, Func<JsonObject, string> Revision, string SuccessVerb)
{
    public string Kind => Resource.Kind;

    /// <summary>flux's line after a successful reconcile: "fetched revision …" or "applied revision …".</summary>
    public string SuccessMessage(JsonObject obj) => $"{SuccessVerb} revision {Revision(obj)}";

    public static readonly FluxKind OCIRepository = new(KubeResource.OCIRepository, "source oci", ArtifactRevision, "fetched");
    public static readonly FluxKind GitRepository = new(KubeResource.GitRepository, "source git", ArtifactRevision, "fetched");
    public static readonly FluxKind HelmRepository = new(KubeResource.HelmRepository, "source helm", ArtifactRevision, "fetched");
    public static readonly FluxKind HelmChart = new(KubeResource.HelmChart, "source chart", ArtifactRevision, "fetched");
    public static readonly FluxKind Bucket = new(KubeResource.Bucket, "source bucket", ArtifactRevision, "fetched");
    public static readonly FluxKind Kustomization = new(KubeResource.Kustomization, "kustomization", AppliedRevision, "applied");
    public static readonly FluxKind HelmRelease = new(KubeResource.HelmRelease, "helmrelease", HelmReleaseRevision, "applied");

    /// <summary>Source kinds in the order <c>flux get sources all</c> prints them.</summary>
    public static readonly IReadOnlyList<FluxKind> Sources = [OCIRepository, Bucket, GitRepository, HelmRepository, HelmChart];

    /// <summary>Every kind, in the order <c>flux get all</c> and <c>flux stats</c> print them.</summary>
    public static readonly IReadOnlyList<FluxKind> All = [.. Sources, HelmRelease, Kustomization];

    /// <summary>Finds a kind by its Kind name, plural or short name, case-insensitively.</summary>
    public static FluxKind? Find(string name) => All.FirstOrDefault(k =>
        string.Equals(k.Kind, name, StringComparison.OrdinalIgnoreCase)
        || string.Equals(k.Resource.Plural, name, StringComparison.OrdinalIgnoreCase)
        || (name.ToLowerInvariant() is "ks" && k == Kustomization)
        || (name.ToLowerInvariant() is "hr" && k == HelmRelease));

    private static string ArtifactRevision(JsonObject obj) => Str(obj["status"]?["artifact"]?["revision"]);

    private static string AppliedRevision(JsonObject obj) => Str(obj["status"]?["lastAppliedRevision"]);

    /// <summary>The chart version of the newest release in history, else the last attempted revision.</summary>
    private static string HelmReleaseRevision(JsonObject obj) =>
        obj["status"]?["history"] is JsonArray { Count: > 0 } history
            ? Str(history[0]?["chartVersion"])
            : Str(obj["status"]?["lastAttemptedRevision"]);

    internal static string Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
