using System.Text.Json.Nodes;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Meta;
using Weir.Core.Cel;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>
/// Flux's dependency rule, for Kustomizations and HelmReleases alike: each object in <c>dependsOn</c> (of the same
/// kind) must exist, have observed its generation and be Ready; a kind may add its own rule (a Kustomization's
/// dependency sharing its source must have applied the source's current revision). A dependency with a
/// <c>readyExpr</c> is judged by that CEL expression instead (variables <c>self</c> and <c>dep</c>); an expression
/// that does not parse is a terminal configuration error.
/// </summary>
public static class DependencyCheck
{
    /// <summary>Returns the first reason a Kustomization's dependency is not ready, or null when all are.</summary>
    public static Task<string?> FirstNotReadyAsync(
        ResourceClient client, JsonObject obj, KustomizationSpec spec, IReadOnlyList<DependencyReference> dependencies, string revision,
        CancellationToken cancellationToken) =>
        FirstNotReadyAsync(client, KubeResource.Kustomization, obj, dependencies,
            dependency => NotReady(dependency, spec, obj.Namespace(), revision), cancellationToken);

    /// <summary>
    /// Returns the first reason a dependency of <paramref name="kind"/> is not ready, or null when all are;
    /// <paramref name="notReady"/> is the kind's rule for one fetched dependency (<c>{0}</c> stands for its name).
    /// </summary>
    public static async Task<string?> FirstNotReadyAsync(
        ResourceClient client, KubeResource kind, JsonObject obj, IReadOnlyList<DependencyReference> dependencies,
        Func<JsonObject, string?> notReady, CancellationToken cancellationToken)
    {
        foreach (var reference in dependencies)
        {
            var key = new ObjectKey(reference.Namespace is { Length: > 0 } ns ? ns : obj.Namespace(), reference.Name ?? "");
            var dependency = await client.GetAsync(kind, key, cancellationToken);
            if (dependency is null)
            {
                return $"dependency '{key}' not found: {kind.Plural}.{kind.Group} \"{key.Name}\" not found";
            }

            if (reference.ReadyExpr is { Length: > 0 } expression)
            {
                if (ReadyByExpression(expression, obj, dependency, key) is { } byExpression)
                {
                    return byExpression;
                }

                continue;
            }

            if (notReady(dependency) is { } reason)
            {
                return reason.Replace("{0}", key.ToString(), StringComparison.Ordinal);
            }
        }

        return null;
    }

    private static string? ReadyByExpression(string source, JsonObject obj, JsonObject dependency, ObjectKey key)
    {
        CelExpression expression;
        try
        {
            expression = CelExpression.Parse(source);
        }
        catch (CelException e)
        {
            throw new ReconcileFailure(ConditionReasons.InvalidCELExpression,
                $"{KustomizationReconciler.TerminalErrorMessage}: failed to evaluate dependency {key.Name}: {e.Message}", stalled: true);
        }

        try
        {
            return expression.EvaluateBoolean(new JsonObject { ["self"] = obj.DeepClone(), ["dep"] = dependency.DeepClone() })
                ? null
                : $"dependency '{key}' is not ready according to readyExpr eval";
        }
        catch (CelException e)
        {
            return e.Message;
        }
    }

    /// <summary>The rule every kind shares: observed its generation and Ready; <c>{0}</c> stands for its name in the message.</summary>
    public static string? NotReady(JsonObject dependency)
    {
        var status = dependency["status"] as JsonObject;
        var conditions = status?["conditions"] as JsonArray;
        if (conditions is not { Count: > 0 } || status?["observedGeneration"]?.GetValue<long>() != dependency.Generation())
        {
            return "dependency '{0}' is not ready";
        }

        var ready = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        return ready?["status"]?.GetValue<string>() == "True" ? null : "dependency '{0}' is not ready";
    }

    /// <summary>A Kustomization's rule for one fetched dependency; <c>{0}</c> stands for its name in the message.</summary>
    public static string? NotReady(JsonObject dependency, KustomizationSpec spec, string ns, string revision)
    {
        if (NotReady(dependency) is { } notReady)
        {
            return notReady;
        }

        var status = dependency["status"] as JsonObject;

        var depSource = dependency["spec"]?["sourceRef"];
        var depSourceNs = depSource?["namespace"]?.GetValue<string>() is { Length: > 0 } dn ? dn : dependency.Namespace();
        var ownSourceNs = spec.SourceRef?.Namespace is { Length: > 0 } on ? on : ns;
        var sameSource = depSource?["name"]?.GetValue<string>() == spec.SourceRef?.Name
            && depSourceNs == ownSourceNs
            && depSource?["kind"]?.GetValue<string>() == spec.SourceRef?.Kind;
        if (sameSource && status?["lastAppliedRevision"]?.GetValue<string>() != revision)
        {
            return "dependency '{0}' revision is not up to date";
        }

        return null;
    }
}
