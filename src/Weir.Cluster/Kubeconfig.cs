using System.Text;
using Weir.Cluster.Auth;

namespace Weir.Cluster;

/// <summary>
/// Kubeconfigs for the embedded server: HTTPS with the cluster CA inline (<c>certificate-authority-data</c>) and a
/// bearer token for one user.
/// </summary>
public static class Kubeconfig
{
    public static string Render(Uri server, string caPem, string user, string token, string ns = "default") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: weir
          cluster:
            server: {server.ToString().TrimEnd('/')}
            certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))}
        users:
        - name: {user}
          user:
            token: {token}
        contexts:
        - name: weir
          context:
            cluster: weir
            user: {user}
            namespace: {ns}
        current-context: weir
        """ + "\n";

    /// <summary>Writes <c>DataDir/kubeconfig</c> for the admin user (group system:masters).</summary>
    public static string Write(string dataDir, Uri server, string caPem, string adminToken)
    {
        var path = Path.Combine(dataDir, "kubeconfig");
        SecretFile.Write(path, Render(server, caPem, StaticTokens.AdminUser, adminToken));
        return path;
    }
}
