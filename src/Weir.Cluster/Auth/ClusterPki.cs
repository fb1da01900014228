using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Weir.Cluster.Auth;

/// <summary>
/// The server's self-signed CA, generated once into <c>DataDir/pki</c>, and the serving certificate for
/// 127.0.0.1/localhost it issues at every start.
/// </summary>
public sealed class ClusterPki : IDisposable
{
    private readonly X509Certificate2 _ca;

    private ClusterPki(X509Certificate2 ca) => _ca = ca;

    /// <summary>The CA certificate in PEM form, as kubeconfigs carry it (base64 of this is <c>certificate-authority-data</c>).</summary>
    public string CaPem => _ca.ExportCertificatePem();

    /// <summary>The CA certificate without its key, for clients that must trust the server.</summary>
    public X509Certificate2 CaCertificate => X509CertificateLoader.LoadCertificate(_ca.RawData);

    public static string CaCertPath(string dataDir) => Path.Combine(dataDir, "pki", "ca.crt");

    public static ClusterPki LoadOrCreate(string dataDir)
    {
        var dir = Path.Combine(dataDir, "pki");
        var certPath = CaCertPath(dataDir);
        var keyPath = Path.Combine(dir, "ca.key");
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));
        }
        Directory.CreateDirectory(dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=weir-cluster-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        SecretFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, ca.ExportCertificatePem());
        return new ClusterPki(X509Certificate2.CreateFromPemFile(certPath, keyPath));
    }

    /// <summary>A fresh serving certificate for the loopback names, signed by the CA.</summary>
    public X509Certificate2 IssueServingCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=weir-cluster", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(_ca, now.AddMinutes(-5), now.AddYears(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // A PKCS#12 round trip gives a certificate whose key SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>An <see cref="HttpClientHandler"/>-style validator that trusts exactly this CA.</summary>
    public static bool ValidatesAgainst(X509Certificate2 ca, X509Certificate2? presented)
    {
        if (presented is null)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    public void Dispose() => _ca.Dispose();
}
