using System.Text;
using System.Text.Json.Nodes;
using Weir.Runtime.Apply;

namespace Weir.Controllers.HelmReleases.Drift;

/// <summary>How an object of a release differs from the cluster (Flux's jsondiff types that drift reports).</summary>
public enum DriftType
{
    /// <summary>In the release, gone from the cluster (Flux prints <c>removed</c>).</summary>
    Removed,

    /// <summary>Its fields differ (<c>changed (N additions, N changes, N removals)</c>).</summary>
    Changed,

    /// <summary>Left out by <c>helm.toolkit.fluxcd.io/driftDetection: disabled</c> (<c>excluded</c>).</summary>
    Excluded,
}

/// <summary>
/// One object of a release that is not as released: what happened to it, how many fields the cluster would gain,
/// change and lose to match the release (JSON patch operations), and the object as released (to correct it).
/// </summary>
public sealed record DriftedObject(ObjectRef Object, DriftType Type, int Additions, int Changes, int Removals, JsonObject Desired)
{
    /// <summary>Flux's summary line: <c>Deployment/ns/name changed (0 additions, 1 changes, 0 removals)</c>.</summary>
    public string Summary => Type switch
    {
        DriftType.Removed => $"{Object.Subject} removed",
        DriftType.Excluded => $"{Object.Subject} excluded",
        _ => $"{Object.Subject} changed ({Additions} additions, {Changes} changes, {Removals} removals)",
    };
}

/// <summary>The drift of a release: its objects that were removed, changed or excluded, in release order.</summary>
public sealed record DriftReport(IReadOnlyList<DriftedObject> Objects)
{
    /// <summary>True when an object was removed or changed (excluded ones are not drift).</summary>
    public bool HasDrift => Objects.Any(o => o.Type is DriftType.Removed or DriftType.Changed);

    /// <summary>Flux's diff summary: one line per object.</summary>
    public string Summary => string.Join("\n", Objects.Select(o => o.Summary));

    /// <summary>Flux's brief summary for logs: <c>removed: 1, changed: 2, excluded: 0</c>.</summary>
    public string Brief =>
        $"removed: {Objects.Count(o => o.Type == DriftType.Removed)}, changed: {Objects.Count(o => o.Type == DriftType.Changed)}, excluded: {Objects.Count(o => o.Type == DriftType.Excluded)}";

    /// <summary>The Drifted=True condition and DriftDetected warning event message.</summary>
    public string DetectedMessage(string fullReleaseName) =>
        $"Cluster state of release {fullReleaseName} has drifted from the desired state:\n{Summary}";
}

/// <summary>What a drift correction applied, and the error that stopped it, if any.</summary>
public sealed record DriftCorrection(ChangeSet Applied, string? Error)
{
    public const string CorrectedReason = "DriftCorrected";
    public const string FailedReason = "DriftCorrectionFailed";

    public bool Succeeded => Error is null;

    /// <summary>The event reason: <c>DriftCorrected</c> (Normal) or <c>DriftCorrectionFailed</c> (Warning).</summary>
    public string Reason => Succeeded ? CorrectedReason : FailedReason;

    /// <summary>Flux's event message for the correction.</summary>
    public string Message(string fullReleaseName)
    {
        var applied = Applied.ChangedLines();
        if (Error is null)
        {
            return $"Cluster state of release {fullReleaseName} has been corrected:\n{applied}";
        }

        var message = new StringBuilder("Failed to ");
        if (applied.Length > 0)
        {
            message.Append("partially ");
        }

        message.Append("correct cluster state of release ").Append(fullReleaseName).Append(":\n").Append(Error);
        if (applied.Length > 0)
        {
            message.Append("\n\nSuccessful corrections:\n").Append(applied);
        }

        return message.ToString();
    }
}
