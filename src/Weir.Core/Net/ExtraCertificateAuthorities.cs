using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Weir.Core.Net;

/// <summary>
/// TLS server validation that trusts extra certificate authorities (a Secret's <c>ca.crt</c>) besides the system's:
/// a certificate the system accepts passes; one whose only fault is its chain passes when it chains to one of the
/// extra CAs; any other fault (name mismatch, no certificate) fails.
/// </summary>
public static class ExtraCertificateAuthorities
{
    public static RemoteCertificateValidationCallback Validator(X509Certificate2Collection cas) => (_, cert, _, errors) =>
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (cert is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(cert));
    };
}
