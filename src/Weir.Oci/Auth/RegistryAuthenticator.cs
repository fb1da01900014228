using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Weir.Oci.Distribution;

namespace Weir.Oci.Auth;

/// <summary>
/// Answers a registry's <c>WWW-Authenticate</c> challenges: Basic with the configured
/// credentials, or Bearer by fetching a token from the challenge's realm (anonymously
/// when there are no credentials). Tokens are cached per scope.
/// </summary>
internal sealed class RegistryAuthenticator(HttpClient http, RegistryCredentials? credentials, string host)
{
    private readonly ConcurrentDictionary<string, AuthenticationHeaderValue> _tokens = new();
    private AuthenticationHeaderValue? _basic;

    /// <summary>The Authorization header to send for <paramref name="scope"/>, if one is known.</summary>
    public AuthenticationHeaderValue? HeaderFor(string scope) =>
        _basic ?? (_tokens.TryGetValue(scope, out var t) ? t : null);

    /// <summary>
    /// Learns how to authenticate from a 401 response. Returns false when retrying cannot help
    /// (no usable challenge, or Basic without credentials).
    /// </summary>
    public async Task<bool> HandleChallengeAsync(HttpResponseMessage response, string scope, string what, CancellationToken ct)
    {
        var challenge = response.Headers.WwwAuthenticate.Select(h => AuthChallenge.Parse(h.ToString())).FirstOrDefault(c => c is not null);
        if (challenge is null)
        {
            return false;
        }
        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (credentials is null || _basic is not null)
            {
                return false;
            }
            _basic = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
            return true;
        }
        if (challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) && challenge["realm"] is { } realm)
        {
            // A rejected cached token (e.g. expired) is replaced; the caller retries only once.
            _tokens[scope] = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(realm, challenge["service"], challenge["scope"] ?? scope, what, ct));
            return true;
        }
        return false;
    }

    private async Task<string> FetchTokenAsync(string realm, string? service, string scope, string what, CancellationToken ct)
    {
        var query = new List<string>();
        if (service is not null)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }
        foreach (var s in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query.Add("scope=" + Uri.EscapeDataString(s));
        }
        var url = realm + (realm.Contains('?') ? "&" : "?") + string.Join("&", query);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.IdentityToken ?? credentials.Password}")));
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException(RegistryErrorKind.Unreachable, $"{what}: token service {realm} is unreachable: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                throw new RegistryException(RegistryErrorKind.Unauthorized,
                    $"{what}: {(int)response.StatusCode} {response.ReasonPhrase}: the token service of {host} rejected the credentials");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException(RegistryErrorKind.Other, $"{what}: token service {realm} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            foreach (var name in new[] { "token", "access_token" })
            {
                if (doc.RootElement.TryGetProperty(name, out var t) && t.GetString() is { Length: > 0 } token)
                {
                    return token;
                }
            }
            throw new RegistryException(RegistryErrorKind.Other, $"{what}: token service {realm} returned no token");
        }
    }
}
