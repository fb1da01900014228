using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Weir.Testing;

/// <summary>Certificates for test servers.</summary>
public static class TestCertificates
{
    /// <summary>
    /// A self-signed certificate for 127.0.0.1, valid for a day, that is also its own CA: its PEM is the
    /// <c>ca.crt</c> a client trusts. Loaded with its private key, ready for Kestrel or to export.
    /// </summary>
    public static X509Certificate2 SelfSignedLoopback(string commonName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(selfSigned.Export(X509ContentType.Pfx), null, X509KeyStorageFlags.Exportable);
    }
}
