using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Notification;

[Description("Which events to forward to a Provider. Static: it has no status.")]
public sealed record Alert
{
    public const string KindName = "Alert";

    public string? ApiVersion { get; init; } = NotificationApi.Group + "/" + NotificationApi.StaticVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public AlertSpec? Spec { get; init; }
}

[Description("The provider to notify and the events to send it.")]
public sealed record AlertSpec
{
    [RequiredField, Description("The Provider receiving the events.")]
    public LocalObjectReference? ProviderRef { get; init; }

    [Enum("info", "error"), Default("info"), Description("Lowest severity forwarded: info forwards everything, error only errors.")]
    public string? EventSeverity { get; init; }

    [RequiredField, Description("Objects whose events are forwarded.")]
    public IReadOnlyList<FluxObjectSelector>? EventSources { get; init; }

    [Description("Regular expressions; when set, only matching messages are forwarded.")]
    public IReadOnlyList<string>? InclusionList { get; init; }

    [Description("Extra metadata added to forwarded events; keys the event already has are kept.")]
    public IReadOnlyDictionary<string, string>? EventMetadata { get; init; }

    [Description("Regular expressions; matching messages are dropped.")]
    public IReadOnlyList<string>? ExclusionList { get; init; }

    [Length(Max = 255), Description("Deprecated short summary of the impact; eventMetadata replaces it.")]
    public string? Summary { get; init; }

    [Description("Stop forwarding while true.")]
    public bool? Suspend { get; init; }
}
