using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Weir.Runtime.Http;

/// <summary>
/// Server certificate validation that also accepts chains ending at extra CAs (a source's <c>ca.crt</c>), as Go's
/// TLS config with a custom root pool does: a name mismatch or any error other than the chain still fails.
/// </summary>
public static class CustomCaTrust
{
    public static RemoteCertificateValidationCallback Callback(X509Certificate2Collection cas) => (_, certificate, _, errors) =>
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    };
}
