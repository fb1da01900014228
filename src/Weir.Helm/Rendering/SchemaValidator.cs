using Weir.Helm.Charts;
using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>Checks values against each chart's values.schema.json (the root's and every enabled subchart's section).</summary>
public static class SchemaValidator
{
    /// <exception cref="ValuesException">Some values break a schema; the message lists the charts as Helm does.</exception>
    public static void Validate(Chart chart, GoMap values)
    {
    }
}
