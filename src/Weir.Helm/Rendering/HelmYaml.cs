using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>Helm's toYAML (sigs.k8s.io/yaml, final newline removed): the template function itself, so both always agree.</summary>
internal static class HelmYaml
{
    private static readonly TemplateFunction ToYamlFunction = TemplateFunctions.Helm.Find("toYaml")!;

    // toYaml reads nothing from its execution context.
    public static string ToYaml(Value value) => ToYamlFunction.Body(null!, [value]).AsString;
}
