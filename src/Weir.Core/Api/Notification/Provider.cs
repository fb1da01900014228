using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Time;

namespace Weir.Core.Api.Notification;

[Description("Where and how to deliver notifications (chat, webhook, Git commit status). Static: it has no status.")]
public sealed record Provider
{
    public const string KindName = "Provider";

    public string? ApiVersion { get; init; } = NotificationApi.Group + "/" + NotificationApi.StaticVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public ProviderSpec? Spec { get; init; }
}

[Description("The delivery service and its address and credentials.")]
[CelRule("self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)",
    "commitStatusExpr works only with the commit status providers: github, gitlab, gitea, bitbucketserver, bitbucket and azuredevops")]
public sealed record ProviderSpec
{
    [RequiredField, Enum("slack", "discord", "msteams", "rocket", "generic", "generic-hmac", "github", "gitlab", "gitea",
        "giteapullrequestcomment", "bitbucketserver", "bitbucket", "azuredevops", "googlechat", "googlepubsub", "webex", "sentry",
        "azureeventhub", "telegram", "lark", "matrix", "opsgenie", "alertmanager", "grafana", "githubdispatch",
        "githubpullrequestcomment", "gitlabmergerequestcomment", "pagerduty", "datadog", "nats", "zulip", "otel", "zoom", "incident.io"),
     Description("The delivery service.")]
    public string? Type { get; init; }

    [Pattern(FluxDuration.Pattern), Description("Deprecated; not used by static providers.")]
    public string? Interval { get; init; }

    [Length(Max = 2048), Description("Channel, room or topic to post to.")]
    public string? Channel { get; init; }

    [Length(Max = 2048), Description("Name to post as.")]
    public string? Username { get; init; }

    [Length(Max = 2048), Description("Endpoint of the service: an HTTP/S URL, or a project or namespace for some types.")]
    public string? Address { get; init; }

    [Pattern(FluxDuration.TimeoutPattern), Description("Time limit of one delivery; 15s when empty.")]
    public string? Timeout { get; init; }

    [Pattern("^(http|https)://.*$"), Length(Max = 2048), Description("Deprecated HTTP/S proxy address; proxySecretRef replaces it.")]
    public string? Proxy { get; init; }

    [Description("Secret with the proxy's address, and optionally username and password.")]
    public LocalObjectReference? ProxySecretRef { get; init; }

    [Description("Secret with the service's credentials (token, address, headers).")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("Service account whose workload identity authenticates to cloud services.")]
    public string? ServiceAccountName { get; init; }

    [Description("Secret with TLS material: ca.crt, and tls.crt with tls.key for client certificates.")]
    public LocalObjectReference? CertSecretRef { get; init; }

    [Description("Stop delivering while true.")]
    public bool? Suspend { get; init; }

    [Description("CEL expression computing the commit status text (commit status providers only).")]
    public string? CommitStatusExpr { get; init; }
}
