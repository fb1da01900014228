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
/// Flux's dependency rule: each Kustomization in <c>dependsOn</c> must exist, have observed its generation, be
/// Ready, and — when it shares this one's source — have applied the source's current revision. A dependency with a
/// <c>readyExpr</c> is judged by that CEL expression instead (variables <c>self</c> and <c>dep</c>); an expression
/// that does not parse is a terminal configuration error.
/// </summary>
public static class DependencyCheck
{
    /// <summary>Returns the first reason a dependency is not ready, or null when all are.</summary>
    public static async Task<string?> FirstNotReadyAsync(
        ResourceClient client, JsonObject obj, KustomizationSpec spec, IReadOnlyList<DependencyReference> dependencies, string revision,
        CancellationToken cancellationToken)
    {
        foreach (var reference in dependencies)
        {
            var key = new ObjectKey(reference.Namespace is { Length: > 0 } ns ? ns : obj.Namespace(), reference.Name ?? "");
            var dependency = await client.GetAsync(KubeResource.Kustomization, key, cancellationToken);
            if (dependency is null)
            {
                return $"dependency '{key}' not found: kustomizations.kustomize.toolkit.fluxcd.io \"{key.Name}\" not found";
            }

            if (reference.ReadyExpr is { Length: > 0 } expression)
            {
                if (ReadyByExpression(expression, obj, dependency, key) is { } notReady)
                {
                    return notReady;
                }

                continue;
            }

            if (NotReady(dependency, spec, obj.Namespace(), revision) is { } reason)
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

    /// <summary>The rule for one fetched dependency; <c>{0}</c> stands for its name in the message.</summary>
    public static string? NotReady(JsonObject dependency, KustomizationSpec spec, string ns, string revision)
    {
        var status = dependency["status"] as JsonObject;
        var conditions = status?["conditions"] as JsonArray;
        if (conditions is not { Count: > 0 } || status?["observedGeneration"]?.GetValue<long>() != dependency.Generation())
        {
            return "dependency '{0}' is not ready";
        }

        var ready = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
        if (ready?["status"]?.GetValue<string>() != "True")
        {
            return "dependency '{0}' is not ready";
        }

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
