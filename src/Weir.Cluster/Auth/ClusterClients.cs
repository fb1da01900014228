using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Weir.Cluster.Auth;

/// <summary>Raw HTTP clients for the embedded server (tests, benchmarks): trust its CA and send a bearer token.</summary>
public static class ClusterClients
{
    /// <summary>A handler whose TLS validation trusts exactly the cluster CA.</summary>
    public static SocketsHttpHandler Handler(X509Certificate2 ca) => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && ClusterPki.ValidatesAgainst(ca, X509CertificateLoader.LoadCertificate(cert.GetRawCertData())) },
    };

    /// <summary>
    /// An HttpClient for <paramref name="address"/>; with a null token requests go unauthenticated. A given handler
    /// should come from <see cref="Handler"/>.
    /// </summary>
    public static HttpClient Create(Uri address, X509Certificate2 ca, string? token, SocketsHttpHandler? handler = null)
    {
        var http = new HttpClient(handler ?? Handler(ca)) { BaseAddress = address };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    /// <summary>An admin (system:masters) client for a server running over <paramref name="dataDir"/>, even in another process.</summary>
    public static HttpClient Admin(string dataDir, Uri address) =>
        Create(address, X509CertificateLoader.LoadCertificateFromFile(ClusterPki.CaCertPath(dataDir)), AdminToken(dataDir));

    /// <summary>The admin user's token (created with the data directory).</summary>
    public static string AdminToken(string dataDir) => StaticTokens.Ensure(dataDir, StaticTokens.AdminUser, [UserInfo.Masters]);
}
