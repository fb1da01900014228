using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace Weir.Runtime.Kube;

/// <summary>A kubeconfig that cannot be used to reach a cluster; the message says why.</summary>
public sealed class InvalidKubeconfigException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Turns kubeconfig text handed over by users (a Secret's value) into a client configuration. Only what is inside
/// the text counts: credential plugins (<c>exec</c>, <c>auth-provider</c>) and file paths would run programs or read
/// files of the controller's host, so they are refused, and <c>insecure-skip-tls-verify</c> is ignored (as Flux
/// ignores it without <c>--insecure-kubeconfig-tls</c>).
/// </summary>
public static class KubeconfigParser
{
    public static KubernetesClientConfiguration Parse(string text)
    {
        K8SConfiguration config;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
            config = KubernetesClientConfiguration.LoadKubeConfig(stream);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidKubeconfigException($"unable to parse kubeconfig: {e.Message}", e);
        }

        if (config is null || config.Contexts is null || !config.Contexts.Any())
        {
            throw new InvalidKubeconfigException("invalid configuration: no configuration has been provided");
        }

        foreach (var user in config.Users ?? [])
        {
            var credentials = user.UserCredentials;
            if (credentials?.ExternalExecution is not null)
            {
                throw new InvalidKubeconfigException(
                    $"kubeconfig user '{user.Name}' uses an exec credential plugin, which is not supported: use a token or a client certificate");
            }

            if (credentials?.AuthProvider is not null)
            {
                throw new InvalidKubeconfigException(
                    $"kubeconfig user '{user.Name}' uses an auth-provider plugin, which is not supported: use a token or a client certificate");
            }

            if (credentials?.ClientCertificate is { Length: > 0 } || credentials?.ClientKey is { Length: > 0 })
            {
                throw new InvalidKubeconfigException(
                    $"kubeconfig user '{user.Name}' refers to certificate files, which are not supported: embed client-certificate-data and client-key-data");
            }
        }

        foreach (var cluster in config.Clusters ?? [])
        {
            if (cluster.ClusterEndpoint?.CertificateAuthority is { Length: > 0 })
            {
                throw new InvalidKubeconfigException(
                    $"kubeconfig cluster '{cluster.Name}' refers to a certificate-authority file, which is not supported: embed certificate-authority-data");
            }

            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.SkipTlsVerify = false;
            }
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidKubeconfigException($"invalid kubeconfig: {e.Message}", e);
        }
    }
}
