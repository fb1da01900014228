using Weir.Core.Api.Meta;
using Weir.Core.Cel;
using Weir.Core.Conditions;
using Weir.Runtime.Controllers;
using Weir.Runtime.Health;

namespace Weir.Controllers.Kustomizations;

/// <summary>The <c>healthCheckExprs</c> of a Kustomization or a HelmRelease, parsed; a bad expression stalls the object, as in Flux.</summary>
public static class HealthExpressions
{
    /// <exception cref="ReconcileFailure">Stalled, <c>InvalidCELExpression</c>: an expression does not parse.</exception>
    public static CustomHealthChecks Parse(IReadOnlyList<CustomHealthCheck>? checks)
    {
        try
        {
            return CustomHealthChecks.Parse(checks);
        }
        catch (CelException e)
        {
            throw new ReconcileFailure(ConditionReasons.InvalidCELExpression, $"{KustomizationReconciler.TerminalErrorMessage}: {e.Message}", stalled: true);
        }
    }
}
