using System.Text.Json.Nodes;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Source;

namespace Weir.Core.Api.Validation;

/// <summary>
/// Rules a schema cannot express as types and patterns: the C# side of the CRDs' CEL rules (reported the way
/// the API server reports a failed CEL rule) plus checks Flux's controllers make, such as tag-free OCI URLs.
/// </summary>
public static class KindRules
{
    public static IEnumerable<FieldError> For(OCIRepository obj)
    {
        if (obj.Spec?.Url is { } url && url.StartsWith("oci://", StringComparison.Ordinal) && TagInUrl(url) is { } tag)
        {
            yield return FieldError.Invalid("spec.url", url, $"URL must not contain a tag; remove ':{tag}'");
        }
    }

    public static IEnumerable<FieldError> For(GitRepository obj)
    {
        if (obj.Spec is { ServiceAccountName: not null } spec && spec.Provider is not ("azure" or "aws"))
        {
            yield return CelFailure("spec", "serviceAccountName needs provider azure or aws");
        }
    }

    public static IEnumerable<FieldError> For(Bucket obj)
    {
        if (obj.Spec is not { } spec)
        {
            yield break;
        }

        var provider = spec.Provider ?? "generic";
        var sts = spec.Sts;
        if (sts is not null && provider is not ("aws" or "generic"))
        {
            yield return CelFailure("spec", "sts works only with the aws and generic providers");
        }

        if (sts is not null && provider == "aws" && sts.Provider != "aws")
        {
            yield return CelFailure("spec", "the aws provider needs sts provider aws");
        }

        if (sts is not null && provider == "generic" && sts.Provider != "ldap")
        {
            yield return CelFailure("spec", "the generic provider needs sts provider ldap");
        }

        if (sts is { Provider: "aws", SecretRef: not null })
        {
            yield return CelFailure("spec", "sts provider aws takes no secretRef");
        }

        if (sts is { Provider: "aws", CertSecretRef: not null })
        {
            yield return CelFailure("spec", "sts provider aws takes no certSecretRef");
        }

        if (provider == "generic" && spec.ServiceAccountName is not null)
        {
            yield return CelFailure("spec", "the generic provider takes no serviceAccountName");
        }

        if (spec.SecretRef is not null && spec.ServiceAccountName is not null)
        {
            yield return CelFailure("spec", "secretRef and serviceAccountName are mutually exclusive");
        }
    }

    public static IEnumerable<FieldError> For(HelmChart obj)
    {
        if (obj.Spec is { Verify: not null } spec && spec.SourceRef?.Kind != HelmRepository.KindName)
        {
            yield return CelFailure("spec", "verify works only with a HelmRepository source");
        }
    }

    public static IEnumerable<FieldError> For(Kustomization obj) => KubeConfig("spec.kubeConfig", obj.Spec?.KubeConfig);

    public static IEnumerable<FieldError> For(HelmRelease obj)
    {
        if (obj.Spec is not { } spec)
        {
            yield break;
        }

        if ((spec.Chart is null) == (spec.ChartRef is null))
        {
            yield return CelFailure("spec", "exactly one of chart or chartRef is required");
        }

        if (spec.Install?.Strategy is { RetryInterval: not null, Name: "RemediateOnFailure" })
        {
            yield return CelFailure("spec.install.strategy", "retryInterval is only allowed with RetryOnFailure");
        }

        if (spec.Upgrade?.Strategy is { RetryInterval: not null } upgrade && upgrade.Name != "RetryOnFailure")
        {
            yield return CelFailure("spec.upgrade.strategy", "retryInterval is only allowed with RetryOnFailure");
        }

        foreach (var error in KubeConfig("spec.kubeConfig", spec.KubeConfig))
        {
            yield return error;
        }
    }

    /// <summary>
    /// The tag (or digest) in an OCI repository URL, found the way Flux finds it: whatever follows a colon
    /// after the registry host.
    /// </summary>
    public static string? TagInUrl(string url)
    {
        var reference = url["oci://".Length..];
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return null;
        }

        var parts = reference[slash..].Split(':');
        return parts.Length > 1 ? parts[1] : null;
    }

    private static IEnumerable<FieldError> KubeConfig(string path, KubeConfigReference? kubeConfig)
    {
        if (kubeConfig is not null && (kubeConfig.SecretRef is null) == (kubeConfig.ConfigMapRef is null))
        {
            yield return CelFailure(path, kubeConfig.SecretRef is null
                ? "one of configMapRef or secretRef is required"
                : "configMapRef and secretRef are mutually exclusive");
        }
    }

    /// <summary>A failed CEL rule, worded as the API server words it.</summary>
    private static FieldError CelFailure(string path, string message) =>
        FieldError.Invalid(path, new JsonObject(), message);
}
