using System.ComponentModel;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Schema;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Core.Api.Notification;

[Description("An incoming webhook that requests reconciliation of objects when a sender calls it.")]
public sealed record Receiver
{
    public const string KindName = "Receiver";

    public string? ApiVersion { get; init; } = NotificationApi.Group + "/" + NotificationApi.ReceiverVersion;

    public string? Kind { get; init; } = KindName;

    public ObjectMeta? Metadata { get; init; }

    public ReceiverSpec? Spec { get; init; }

    public ReceiverStatus? Status { get; init; }
}

[Description("The sender, its credentials and the objects to reconcile.")]
[CelRule("self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)", "a generic-oidc receiver needs oidcProviders")]
[CelRule("self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0", "oidcProviders are only for generic-oidc receivers")]
[CelRule("self.type != 'generic-oidc' || !has(self.secretRef)", "a generic-oidc receiver takes no secretRef")]
[CelRule("self.type == 'generic-oidc' || has(self.secretRef)", "secretRef is required unless the type is generic-oidc")]
public sealed record ReceiverSpec
{
    [RequiredField, Enum("generic", "generic-hmac", "generic-oidc", "github", "gitlab", "bitbucket", "harbor", "dockerhub", "quay", "gcr",
        "nexus", "acr", "cdevents"),
     Description("The sender, which decides how requests are authenticated and read.")]
    public string? Type { get; init; }

    [Pattern(FluxDuration.Pattern), Default("10m"), Description("How often to re-read the token Secret.")]
    public string? Interval { get; init; }

    [Description("Event types handled, e.g. push; every event when empty.")]
    public IReadOnlyList<string>? Events { get; init; }

    [RequiredField, Description("Objects to reconcile when the webhook is called.")]
    public IReadOnlyList<ReceiverResource>? Resources { get; init; }

    [Description("CEL expression over res (each object) and req (the request body); false skips the object.")]
    public string? ResourceFilter { get; init; }

    [Description("Secret whose 'token' key authenticates requests and names the webhook path.")]
    public LocalObjectReference? SecretRef { get; init; }

    [Description("OIDC issuers accepted by a generic-oidc receiver.")]
    public IReadOnlyList<OIDCProvider>? OidcProviders { get; init; }

    [Description("Ignore calls while true.")]
    public bool? Suspend { get; init; }
}

[Description("Objects to reconcile, with an optional CEL filter of their own.")]
public sealed record ReceiverResource : FluxObjectSelector
{
    [Description("CEL expression evaluated with resourceFilter; both must be true.")]
    public string? Filter { get; init; }
}

[Description("An OIDC issuer whose tokens a generic-oidc receiver accepts.")]
public sealed record OIDCProvider
{
    [RequiredField, Pattern("^https?://"), Description("Issuer URL; must equal the token's iss claim.")]
    public string? IssuerURL { get; init; }

    [Description("Expected aud claim; notification-controller when empty.")]
    public string? Audience { get; init; }

    [Description("Named CEL expressions over the claims, available to validations as vars.<name>.")]
    public IReadOnlyList<OIDCVariable>? Variables { get; init; }

    [RequiredField, Items(Min = 1), Description("CEL conditions on the claims; all must hold.")]
    public IReadOnlyList<OIDCValidation>? Validations { get; init; }
}

[Description("A named CEL expression over token claims.")]
public sealed record OIDCVariable
{
    [RequiredField, Description("Variable name (a CEL identifier).")]
    public string? Name { get; init; }

    [RequiredField, Description("CEL expression giving the value.")]
    public string? Expression { get; init; }
}

[Description("A CEL condition on token claims and the message returned when it fails.")]
public sealed record OIDCValidation
{
    [RequiredField, Description("CEL expression that must be true.")]
    public string? Expression { get; init; }

    [RequiredField, Description("Message returned to the caller when false.")]
    public string? Message { get; init; }
}

[Description("Observed state of a Receiver.")]
public sealed record ReceiverStatus
{
    [Description("Last reconcile.fluxcd.io/requestedAt value handled.")]
    public string? LastHandledReconcileAt { get; init; }

    [Description("Ready, Reconciling and Stalled conditions.")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    [Description("Path of the webhook: /hook/ and the SHA-256 of token, name and namespace.")]
    public string? WebhookPath { get; init; }

    [Description("Generation last reconciled.")]
    public long? ObservedGeneration { get; init; }
}
