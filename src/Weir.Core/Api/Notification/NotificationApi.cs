using System.ComponentModel;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Notification;

/// <summary>
/// Group and versions of the notification API: Alert and Provider are served in v1beta3 (static objects without
/// status), Receiver in v1.
/// </summary>
public static class NotificationApi
{
    public const string Group = "notification.toolkit.fluxcd.io";
    public const string StaticVersion = "v1beta3";
    public const string ReceiverVersion = "v1";
}

[Description("Objects of a kind: one by name, or all ('*') optionally narrowed by labels.")]
public record FluxObjectSelector
{
    [Description("API version of the objects.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Enum("Bucket", "GitRepository", "Kustomization", "HelmRelease", "HelmChart", "HelmRepository", "ImageRepository",
        "ImagePolicy", "ImageUpdateAutomation", "OCIRepository", "ArtifactGenerator", "ExternalArtifact"),
     Description("Kind of the objects.")]
    public string? Kind { get; init; }

    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the object, or '*' for every object of the kind.")]
    public string? Name { get; init; }

    [Length(Min = 1, Max = 253), Description("Namespace of the objects; the referrer's namespace when empty.")]
    public string? Namespace { get; init; }

    [Description("Labels the objects must carry; only with name '*'.")]
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }
}
