using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Flux;

/// <summary>
/// Flux's post-build variable substitution over built resources: <c>${var}</c>, <c>${var:=default}</c>,
/// <c>${var:-default}</c>, <c>$${var}</c> for a literal <c>${var}</c>; resources annotated
/// <c>kustomize.toolkit.fluxcd.io/substitute: disabled</c> are left alone. In strict mode an undefined
/// variable without default is an error naming it; otherwise it becomes empty.
/// </summary>
public static class PostBuildSubstitution
{
    public const string DisableAnnotation = "kustomize.toolkit.fluxcd.io/substitute";

    public static IReadOnlyList<JsonObject> Apply(IReadOnlyList<JsonObject> resources, IReadOnlyDictionary<string, string> vars, bool strict)
    {
        var result = new List<JsonObject>(resources.Count);
        foreach (var r in resources)
        {
            if (r.Annotation(DisableAnnotation) == "disabled")
            {
                result.Add(r);
                continue;
            }

            var text = YamlText.Serialize(r);
            var substituted = Substitute(text, vars, strict, $"{r.Kind()}/{r.Name()}");
            result.Add(substituted == text ? r : YamlText.ParseObjects(substituted, $"{r.Kind()}/{r.Name()} after substitution").Single());
        }

        return result;
    }

    /// <summary>Substitutes variables in one string.</summary>
    public static string Substitute(string input, IReadOnlyDictionary<string, string> vars, bool strict, string source = "input")
    {
        var sb = new StringBuilder(input.Length);
        var i = 0;
        while (i < input.Length)
        {
            if (input[i] == '$' && i + 2 < input.Length && input[i + 1] == '$' && input[i + 2] == '{')
            {
                sb.Append('$');
                i += 2;
                var close = input.IndexOf('}', i);
                var end = close < 0 ? input.Length : close + 1;
                sb.Append(input, i, end - i);
                i = end;
                continue;
            }

            if (input[i] == '$' && i + 1 < input.Length && input[i + 1] == '{')
            {
                var close = input.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw new KustomizeException($"{source}: unterminated variable expression at '{input[i..Math.Min(input.Length, i + 20)]}'");
                }

                sb.Append(Evaluate(input[(i + 2)..close], vars, strict, source));
                i = close + 1;
                continue;
            }

            sb.Append(input[i]);
            i++;
        }

        return sb.ToString();
    }

    private static string Evaluate(string expression, IReadOnlyDictionary<string, string> vars, bool strict, string source)
    {
        string name;
        string? fallback = null;
        var assign = expression.IndexOf(":=", StringComparison.Ordinal);
        var dash = expression.IndexOf(":-", StringComparison.Ordinal);
        var op = assign >= 0 && (dash < 0 || assign < dash) ? assign : dash;
        if (op >= 0)
        {
            name = expression[..op];
            fallback = expression[(op + 2)..];
        }
        else
        {
            name = expression;
        }

        if (!IsValidName(name))
        {
            throw new KustomizeException($"{source}: '{name}' is not a valid variable name");
        }

        if (vars.TryGetValue(name, out var value) && (value.Length > 0 || fallback is null))
        {
            return value;
        }

        if (fallback is not null)
        {
            return fallback;
        }

        if (strict)
        {
            throw new KustomizeException($"{source}: variable not set (strict mode): \"{name}\"");
        }

        return "";
    }

    private static bool IsValidName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
