using System.ComponentModel;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Source;

/// <summary>Group and version of the source API.</summary>
public static class SourceApi
{
    public const string Group = "source.toolkit.fluxcd.io";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
}

[Description("A keyless-signing identity to accept: regular expressions on the OIDC issuer and subject.")]
public sealed record OIDCIdentityMatch
{
    [RequiredField, Description("Regular expression matching the OIDC issuer.")]
    public string? Issuer { get; init; }

    [RequiredField, Description("Regular expression matching the certificate subject.")]
    public string? Subject { get; init; }
}

[Description("How to verify signatures of a Helm chart from an OCI registry.")]
public record OCIVerification
{
    [RequiredField, Enum("cosign", "notation"), Default("cosign"), Description("Signature tool.")]
    public string? Provider { get; init; }

    [Description("Secret holding public keys or a notation trust policy.")]
    public Meta.LocalObjectReference? SecretRef { get; init; }

    [Description("Accepted keyless identities; any identity when empty.")]
    public IReadOnlyList<OIDCIdentityMatch>? MatchOIDCIdentity { get; init; }
}

/// <summary>An OCIRepository's verification: a chart's, plus a self-hosted Sigstore (HelmChart has no such field).</summary>
[Description("How to verify signatures of an OCI artifact.")]
public sealed record OCIRepositoryVerification : OCIVerification
{
    [Description("Secret with key trusted_root.json for a self-hosted Sigstore.")]
    public Meta.LocalObjectReference? TrustedRootSecretRef { get; init; }
}
