using System.Text.Json.Nodes;
using Weir.Core.Api.Meta;
using Weir.Core.Cel;
using Weir.Core.Objects;

namespace Weir.Runtime.Health;

/// <summary>
/// A Kustomization's <c>healthCheckExprs</c>: CEL expressions that decide the health of objects of one group and
/// kind (or of a whole group when the kind is left out) instead of kstatus' rules, as Flux does. An object that
/// has not observed its generation is InProgress; then <c>inProgress</c>, <c>failed</c> and <c>current</c> are tried
/// in that order and the first true one decides; none true is InProgress. The object's top-level fields
/// (<c>metadata</c>, <c>spec</c>, <c>status</c>, …) are the expressions' variables.
/// </summary>
public sealed class CustomHealthChecks
{
    private readonly Dictionary<(string Group, string Kind), Evaluator> _evaluators;

    private CustomHealthChecks(Dictionary<(string Group, string Kind), Evaluator> evaluators) => _evaluators = evaluators;

    public static CustomHealthChecks None { get; } = new([]);

    /// <summary>Parses every expression up front; throws <see cref="CelException"/> with Flux's wording for the first bad one.</summary>
    public static CustomHealthChecks Parse(IReadOnlyList<CustomHealthCheck>? checks)
    {
        var evaluators = new Dictionary<(string, string), Evaluator>();
        for (var i = 0; i < (checks?.Count ?? 0); i++)
        {
            var check = checks![i];
            var group = GroupVersionKind.From(check.ApiVersion ?? "", check.Kind ?? "").Group;
            var key = (group, check.Kind ?? "");
            if (evaluators.ContainsKey(key))
            {
                throw new CelException($"duplicate custom health check for GroupKind {key.Item2}.{group} at healthchecks[{i}]");
            }

            try
            {
                evaluators[key] = new Evaluator(
                    Expression("Current", check.Current, required: true)!,
                    Expression("InProgress", check.InProgress, required: false),
                    Expression("Failed", check.Failed, required: false));
            }
            catch (CelException e)
            {
                throw new CelException($"failed to create custom status evaluator for healthchecks[{i}]: {e.Message}");
            }
        }

        return evaluators.Count == 0 ? None : new CustomHealthChecks(evaluators);
    }

    /// <summary>The object's health by its expressions, or null when no expression covers its kind.</summary>
    public ObjectHealth? Compute(JsonObject obj)
    {
        if (_evaluators.Count == 0)
        {
            return null;
        }

        var gvk = obj.Gvk();
        if (!_evaluators.TryGetValue((gvk.Group, gvk.Kind), out var evaluator) && !_evaluators.TryGetValue((gvk.Group, ""), out evaluator))
        {
            return null;
        }

        return evaluator.Evaluate(obj);
    }

    private static CelExpression? Expression(string name, string? source, bool required)
    {
        if (string.IsNullOrEmpty(source))
        {
            return required ? throw new CelException($"expression {name} not specified") : null;
        }

        try
        {
            return CelExpression.Parse(source);
        }
        catch (CelException e)
        {
            throw new CelException($"failed to parse the expression {name}: {e.Message}");
        }
    }

    private sealed record Evaluator(CelExpression Current, CelExpression? InProgress, CelExpression? Failed)
    {
        public ObjectHealth Evaluate(JsonObject obj)
        {
            if (obj["status"]?["observedGeneration"] is JsonValue observed && observed.TryGetValue<long>(out var generation)
                && generation != obj.Generation())
            {
                return new ObjectHealth(HealthStatus.InProgress, "observedGeneration differs from generation");
            }

            foreach (var (expression, status) in new[] { (InProgress, HealthStatus.InProgress), (Failed, HealthStatus.Failed), (Current, HealthStatus.Current) })
            {
                if (expression is null)
                {
                    continue;
                }

                bool result;
                try
                {
                    result = expression.EvaluateBoolean(obj);
                }
                catch (CelException e)
                {
                    return new ObjectHealth(HealthStatus.Unknown, e.Message);
                }

                if (result)
                {
                    return new ObjectHealth(status, $"{status} by healthCheckExprs");
                }
            }

            return new ObjectHealth(HealthStatus.InProgress, "no healthCheckExprs expression is true yet");
        }
    }
}
