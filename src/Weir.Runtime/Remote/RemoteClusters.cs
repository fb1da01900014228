using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Weir.Core.Api.Meta;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Remote;

/// <summary>The cluster a Kustomization applies to: a client for it and the mapper of that cluster's kinds.</summary>
public sealed record ClusterTarget(ResourceClient Client, ResourceMapper Mapper);

/// <summary>
/// Clients for the remote clusters named by <c>spec.kubeConfig</c>, read from the local cluster: a kubeconfig in a
/// Secret (<c>secretRef</c>), or a ConfigMap with <c>provider: generic</c> whose <c>address</c> is reached with a token
/// the local cluster issues for a ServiceAccount (<c>configMapRef</c>). A client is kept while its Secret or
/// ConfigMap keeps its resourceVersion (and, for tokens, until the token nears expiry); clients nobody asked for
/// within <see cref="IdleLifetime"/> are dropped. Every failure is a <see cref="ReconcileFailure"/> worded as Flux's.
/// </summary>
public sealed class RemoteClusters(ResourceClient local, TimeProvider? clock = null)
{
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] CloudProviders = ["aws", "azure", "gcp"];

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Entry> _cache = new();

    /// <summary>
    /// The cluster an applier in <paramref name="ns"/> acts on: the local one (<paramref name="mapper"/> its kinds), or
    /// the remote one of <paramref name="kubeConfig"/>; on either, <paramref name="serviceAccount"/> (when given) is
    /// impersonated, as Flux does.
    /// </summary>
    public async Task<ClusterTarget> TargetAsync(
        string ns, KubeConfigReference? kubeConfig, string? serviceAccount, ResourceMapper mapper, CancellationToken cancellationToken)
    {
        var target = kubeConfig is not null ? await ForAsync(ns, kubeConfig, cancellationToken) : new ClusterTarget(local, mapper);
        return serviceAccount is { Length: > 0 }
            ? target with { Client = target.Client.Impersonate($"system:serviceaccount:{ns}:{serviceAccount}") }
            : target;
    }

    /// <summary>The target cluster of a Kustomization in <paramref name="ns"/> with this <c>spec.kubeConfig</c>.</summary>
    public async Task<ClusterTarget> ForAsync(string ns, KubeConfigReference reference, CancellationToken cancellationToken)
    {
        DropIdle();
        if (reference.SecretRef is { } secretRef)
        {
            return await FromSecretAsync(ns, secretRef, cancellationToken);
        }

        if (reference.ConfigMapRef is { } configMapRef)
        {
            return await FromConfigMapAsync(ns, configMapRef.Name ?? "", cancellationToken);
        }

        throw Failure("invalid .spec.kubeConfig, neither .spec.kubeConfig.provider nor .spec.kubeConfig.secretRef is set");
    }

    private async Task<ClusterTarget> FromSecretAsync(string ns, SecretKeyReference reference, CancellationToken cancellationToken)
    {
        var name = reference.Name ?? "";
        var secret = await GetLocalAsync(KubeResource.Secret, ns, name, $"unable to read KubeConfig secret '{ns}/{name}' error", cancellationToken);

        var cacheKey = $"Secret/{ns}/{name}";
        var version = $"{secret.ResourceVersion()}/{reference.Key}";
        if (Cached(cacheKey, version) is { } cached)
        {
            return cached;
        }

        var data = secret["data"] as JsonObject ?? [];
        string? encoded;
        if (reference.Key is { Length: > 0 } key)
        {
            encoded = data[key]?.GetValue<string>()
                ?? throw Failure($"KubeConfig secret '{ns}/{name}' does not contain a '{key}' key with a kubeconfig");
        }
        else
        {
            encoded = data["value"]?.GetValue<string>() ?? data["value.yaml"]?.GetValue<string>()
                ?? throw Failure($"KubeConfig secret '{ns}/{name}' does not contain a 'value' key with a kubeconfig");
        }

        KubernetesClientConfiguration config;
        try
        {
            config = KubeconfigParser.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded)));
        }
        catch (InvalidKubeconfigException e)
        {
            throw Failure($"KubeConfig secret '{ns}/{name}': {e.Message}", e);
        }

        return Store(cacheKey, version, config, expires: null);
    }

    private async Task<ClusterTarget> FromConfigMapAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var configMap = await GetLocalAsync(KubeResource.ConfigMap, ns, name, $"failed to get configmap {ns}/{name}", cancellationToken);

        var cacheKey = $"ConfigMap/{ns}/{name}";
        var version = configMap.ResourceVersion();
        if (Cached(cacheKey, version) is { } cached)
        {
            return cached;
        }

        var data = configMap["data"] as JsonObject ?? [];
        string? Value(string key) => data[key]?.GetValue<string>();
        var provider = Value("provider") ?? "";
        if (CloudProviders.Contains(provider))
        {
            throw Failure($"provider '{provider}' is not supported: only the 'generic' provider (a ServiceAccount token) is");
        }

        if (provider != "generic")
        {
            throw Failure($"provider '{provider}' not implemented");
        }

        var address = Value("address") ?? "";
        if (address.Length == 0)
        {
            throw Failure("cluster address is required to create a REST config");
        }

        var host = ParseAddress(address);
        var account = Value("serviceAccountName") ?? "";
        if (account.Length == 0)
        {
            throw Failure($"configmap {ns}/{name}: 'serviceAccountName' is required with the 'generic' provider (there is no controller token to use instead)");
        }

        var audiences = (Value("audiences") ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var (token, expires) = await RequestTokenAsync(ns, account, audiences.Length > 0 ? audiences : [address], cancellationToken);
        var config = new KubernetesClientConfiguration { Host = host, AccessToken = token };
        if (Value("ca.crt") is { Length: > 0 } ca)
        {
            try
            {
                var certificates = new X509Certificate2Collection();
                certificates.ImportFromPem(ca);
                config.SslCaCerts = certificates;
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw Failure($"configmap {ns}/{name}: invalid 'ca.crt': {e.Message}", e);
            }
        }

        // Renew the token once 80% of its lifetime is gone.
        var now = _clock.GetUtcNow();
        return Store(cacheKey, version, config, now + ((expires - now) * 0.8));
    }

    private async Task<(string Token, DateTimeOffset Expires)> RequestTokenAsync(
        string ns, string account, string[] audiences, CancellationToken cancellationToken)
    {
        await GetLocalAsync(KubeResource.ServiceAccount, ns, account, $"failed to get service account '{ns}/{account}'", cancellationToken);
        try
        {
            var request = new Authenticationv1TokenRequest { Spec = new V1TokenRequestSpec { Audiences = audiences } };
            var answer = await local.Kubernetes.CoreV1.CreateNamespacedServiceAccountTokenAsync(request, account, ns, cancellationToken: cancellationToken);
            var expires = answer.Status.ExpirationTimestamp is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : _clock.GetUtcNow().AddHours(1);
            return (answer.Status.Token, expires);
        }
        catch (HttpOperationException e)
        {
            throw Failure($"failed to create kubernetes token for service account '{ns}/{account}': {KubeApiException.From(e).Message}", e);
        }
    }

    /// <summary>Flux's reading of a cluster address: https only, port 443 unless given.</summary>
    internal static string ParseAddress(string address)
    {
        var text = address.StartsWith("http", StringComparison.Ordinal) ? address : $"https://{address}";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            throw Failure($"failed to parse cluster address {address}: failed to parse Kubernetes API server address '{text}'");
        }

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw Failure($"failed to parse cluster address {address}: the Kubernetes API server address '{text}' must use https scheme");
        }

        return $"https://{uri.Host.ToLowerInvariant()}:{uri.Port}";
    }

    private ClusterTarget? Cached(string key, string version)
    {
        if (_cache.TryGetValue(key, out var entry) && entry.Version == version
            && (entry.Expires is null || entry.Expires > _clock.GetUtcNow()))
        {
            entry.LastUsed = _clock.GetUtcNow();
            return entry.Target;
        }

        return null;
    }

    private ClusterTarget Store(string key, string version, KubernetesClientConfiguration config, DateTimeOffset? expires)
    {
        config.HttpClientTimeout = RequestTimeout;
        var client = new ResourceClient(new Kubernetes(config));
        var target = new ClusterTarget(client, new ResourceMapper(client));

        // The replaced client may still serve a reconcile running now; it is left to the garbage collector.
        _cache[key] = new Entry(version, target, expires) { LastUsed = _clock.GetUtcNow() };
        return target;
    }

    private void DropIdle()
    {
        var cutoff = _clock.GetUtcNow() - IdleLifetime;
        foreach (var (key, entry) in _cache)
        {
            if (entry.LastUsed < cutoff)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    /// <summary>An object of the local cluster; a read error or its absence fails as <c>{failure}: {cause}</c>.</summary>
    private async Task<JsonObject> GetLocalAsync(KubeResource resource, string ns, string name, string failure, CancellationToken cancellationToken)
    {
        try
        {
            return await local.GetAsync(resource, new ObjectKey(ns, name), cancellationToken)
                ?? throw Failure($"{failure}: {resource.Plural} \"{name}\" not found");
        }
        catch (KubeApiException e)
        {
            throw Failure($"{failure}: {e.Message}", e);
        }
    }

    private static ReconcileFailure Failure(string message, Exception? inner = null) =>
        new(ConditionReasons.ReconciliationFailed, message, inner: inner);

    private sealed record Entry(string Version, ClusterTarget Target, DateTimeOffset? Expires)
    {
        public DateTimeOffset LastUsed { get; set; }
    }
}
