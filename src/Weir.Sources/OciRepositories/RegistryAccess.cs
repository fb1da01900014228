using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Sources.OciRepositories;

/// <summary>
/// Builds the registry client settings an OCIRepository asks for: credentials from its dockerconfigjson
/// <c>secretRef</c>, extra CAs from <c>certSecretRef</c>, <c>insecure</c>, and <c>timeout</c> as the bound of the
/// whole fetch.
/// </summary>
public sealed class RegistryAccess(ResourceClient client)
{
    public async Task<RegistryClientOptions> OptionsForAsync(
        string ns, OCIRepositorySpec spec, OciReference reference, CancellationToken cancellationToken)
    {
        var timeout = FluxDuration.TryParse(spec.Timeout ?? "60s", out var parsed) ? parsed : TimeSpan.FromSeconds(60);
        var options = new RegistryClientOptions
        {
            Insecure = spec.Insecure ?? false,
            // spec.timeout bounds the whole fetch, retries included, as Flux's context deadline does.
            Timeout = timeout,
            TotalTimeout = timeout,
        };

        if (spec.SecretRef?.Name is { Length: > 0 } secretName)
        {
            var data = await SecretDataAsync(ns, secretName, cancellationToken);
            var json = data.GetValueOrDefault(".dockerconfigjson") ?? data.GetValueOrDefault(".dockercfg")
                ?? throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    $"failed to get credential: secret '{ns}/{secretName}' has no .dockerconfigjson key", ConditionTypes.FetchFailed);
            try
            {
                options = options with { Credentials = DockerConfig.Parse(json).For(reference.Host) };
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                    $"failed to get credential: secret '{ns}/{secretName}': {e.Message}", ConditionTypes.FetchFailed);
            }
        }

        if (spec.CertSecretRef?.Name is { Length: > 0 } certName)
        {
            var data = await SecretDataAsync(ns, certName, cancellationToken);
            if (data.GetValueOrDefault("ca.crt") is { Length: > 0 } pem)
            {
                var cas = new X509Certificate2Collection();
                cas.ImportFromPem(pem);
                options = options with { CaCertificates = cas };
            }
        }

        return options;
    }

    private async Task<Dictionary<string, string>> SecretDataAsync(string ns, string name, CancellationToken cancellationToken)
    {
        JsonObject? secret;
        try
        {
            secret = await client.GetAsync(KubeResource.Secret, new ObjectKey(ns, name), cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                $"failed to get credential: failed to get secret '{ns}/{name}': {e.Message}", ConditionTypes.FetchFailed);
        }

        if (secret is null)
        {
            throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                $"failed to get credential: secrets \"{name}\" not found", ConditionTypes.FetchFailed);
        }

        return SecretData.Decode(secret);
    }
}
