namespace Weir.Cluster;

/// <summary>
/// The kubeconfig for the embedded server. It carries a token user because the C# client refuses a user without
/// credentials; over plain HTTP kubectl sends no credentials and the server accepts any.
/// </summary>
public static class Kubeconfig
{
    public const string Token = "embedded-dev-token";

    public static string Render(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: weir
          cluster:
            server: {server.ToString().TrimEnd('/')}
        users:
        - name: weir
          user:
            token: {Token}
        contexts:
        - name: weir
          context:
            cluster: weir
            user: weir
            namespace: default
        current-context: weir
        """ + "\n";

    public static string Write(string dataDir, Uri server)
    {
        var path = Path.Combine(dataDir, "kubeconfig");
        File.WriteAllText(path, Render(server));
        return path;
    }
}
