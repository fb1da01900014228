using System.Text.Json.Nodes;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Sources.Storage;

/// <summary>
/// Reads a Secret a source refers to (<c>secretRef</c>, <c>certSecretRef</c>, <c>proxySecretRef</c>) in the source's
/// namespace; a missing or unreadable one fails the reconcile as source-controller reports it:
/// <c>failed to get secret 'ns/name': …</c> (AuthenticationFailed).
/// </summary>
public sealed class SourceSecrets(ResourceClient client)
{
    /// <summary>The Secret's data; <paramref name="what"/> names its role where source-controller does (<c>failed to get authentication secret 'ns/name': …</c> for a HelmRepository).</summary>
    public async Task<Dictionary<string, string>> GetAsync(string ns, string name, CancellationToken cancellationToken, string what = "secret")
    {
        JsonObject? secret;
        try
        {
            secret = await client.GetAsync(KubeResource.Secret, new ObjectKey(ns, name), cancellationToken);
        }
        catch (KubeApiException e)
        {
            throw new ReconcileFailure(ConditionReasons.AuthenticationFailed, $"failed to get {what} '{ns}/{name}': {e.Message}", ConditionTypes.FetchFailed);
        }

        return secret is null
            ? throw new ReconcileFailure(ConditionReasons.AuthenticationFailed,
                $"failed to get {what} '{ns}/{name}': secrets \"{name}\" not found", ConditionTypes.FetchFailed)
            : SecretData.Decode(secret);
    }
}
