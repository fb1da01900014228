using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Time;
using Weir.Helm.Repositories;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.HelmRepositories;

/// <summary>
/// Turns a HelmRepository's <c>secretRef</c> (<c>username</c>/<c>password</c>, or a dockerconfigjson for type oci;
/// TLS keys there are the deprecated form), <c>certSecretRef</c> (<c>ca.crt</c>, <c>tls.crt</c>, <c>tls.key</c>),
/// <c>passCredentials</c>, <c>insecure</c> and <c>timeout</c> into client settings, with source-controller's
/// messages when a Secret is missing or unusable (reason <c>AuthenticationFailed</c>).
/// </summary>
public sealed class HelmRepositoryAccess(ResourceClient client)
{
    private readonly SourceSecrets secrets = new(client);

    public static TimeSpan TimeoutOf(HelmRepositorySpec spec) =>
        FluxDuration.TryParse(spec.Timeout ?? "60s", out var parsed) ? parsed : TimeSpan.FromSeconds(60);

    /// <summary>Settings of the HTTP client for an index repository.</summary>
    public async Task<HelmRepositoryCredentials> CredentialsForAsync(string ns, HelmRepositorySpec spec, CancellationToken cancellationToken)
    {
        var credentials = new HelmRepositoryCredentials { PassCredentials = spec.PassCredentials ?? false, Timeout = TimeoutOf(spec) };
        if (spec.CertSecretRef?.Name is { Length: > 0 } certName)
        {
            var data = await SecretAsync(ns, certName, "TLS authentication secret", cancellationToken);
            credentials = WithTls(credentials, data);
        }

        if (spec.SecretRef?.Name is { Length: > 0 } secretName)
        {
            var data = await SecretAsync(ns, secretName, "authentication secret", cancellationToken);
            if (data.TryGetValue("username", out var username) | data.TryGetValue("password", out var password))
            {
                if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
                {
                    throw Failure($"failed to detect authentication methods: invalid '{ns}/{secretName}' secret data: required fields 'username' and 'password'");
                }

                credentials = credentials with { Username = username, Password = password };
            }

            if (credentials.CaCertificates is null && credentials.ClientCertificate is null)
            {
                credentials = WithTls(credentials, data);
            }
        }

        return credentials;
    }

    /// <summary>Settings of the registry client for a type oci repository.</summary>
    public async Task<RegistryClientOptions> RegistryOptionsForAsync(string ns, HelmRepositorySpec spec, string host, CancellationToken cancellationToken)
    {
        var timeout = TimeoutOf(spec);
        var options = new RegistryClientOptions { Insecure = spec.Insecure ?? false, Timeout = timeout, TotalTimeout = timeout };
        if (spec.CertSecretRef?.Name is { Length: > 0 } certName)
        {
            var tls = WithTls(new HelmRepositoryCredentials(), await SecretAsync(ns, certName, "TLS authentication secret", cancellationToken));
            options = options with { CaCertificates = tls.CaCertificates };
        }

        if (spec.SecretRef?.Name is { Length: > 0 } secretName)
        {
            var data = await SecretAsync(ns, secretName, "authentication secret", cancellationToken);
            try
            {
                options = options with
                {
                    Credentials = data.GetValueOrDefault(".dockerconfigjson") is { } json ? DockerConfig.Parse(json).For(host)
                        : data.TryGetValue("username", out var username) && data.TryGetValue("password", out var password)
                            ? new RegistryCredentials(username, password)
                            : throw Failure($"failed to configure OCI registry authentication: secret '{ns}/{secretName}' has neither .dockerconfigjson nor username and password"),
                };
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                throw Failure($"failed to configure OCI registry authentication: {e.Message}");
            }
        }

        return options;
    }

    private static HelmRepositoryCredentials WithTls(HelmRepositoryCredentials credentials, Dictionary<string, string> data)
    {
        try
        {
            if (data.GetValueOrDefault("ca.crt") is { Length: > 0 } ca)
            {
                var cas = new X509Certificate2Collection();
                cas.ImportFromPem(ca);
                credentials = credentials with { CaCertificates = cas };
            }

            var cert = data.GetValueOrDefault("tls.crt");
            var key = data.GetValueOrDefault("tls.key");
            if (!string.IsNullOrEmpty(cert) != !string.IsNullOrEmpty(key))
            {
                throw Failure("failed to construct Helm client's TLS config: secret must contain both 'tls.crt' and 'tls.key'");
            }

            if (!string.IsNullOrEmpty(cert))
            {
                using var pem = X509Certificate2.CreateFromPem(cert, key);
                // SslStream on Linux needs the key in a PKCS#12-backed certificate.
                credentials = credentials with { ClientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null) };
            }

            return credentials;
        }
        catch (CryptographicException e)
        {
            throw Failure($"failed to construct Helm client's TLS config: {e.Message}");
        }
    }

    private Task<Dictionary<string, string>> SecretAsync(string ns, string name, string what, CancellationToken cancellationToken) =>
        secrets.GetAsync(ns, name, cancellationToken, what);

    private static ReconcileFailure Failure(string message) => new(ConditionReasons.AuthenticationFailed, message, ConditionTypes.FetchFailed);
}
