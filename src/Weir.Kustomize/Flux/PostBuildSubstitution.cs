using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Objects;
using Weir.Kustomize.Flux.Envsubst;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Flux;

/// <summary>
/// Flux's post-build variable substitution over built resources: each resource's YAML goes through
/// <see cref="EnvsubstEvaluator.Evaluate"/> (drone/envsubst's grammar; <c>$${var}</c> for a literal <c>${var}</c>) and is read
/// back as sigs.k8s.io/yaml reads it. Resources labelled or annotated <c>kustomize.toolkit.fluxcd.io/substitute:
/// disabled</c> are left alone, and nothing is substituted without variables unless the strategy is <c>Always</c>.
/// Strict: an unset variable in an expansion without default is an error; otherwise it reads as empty.
/// </summary>
public static partial class PostBuildSubstitution
{
    public const string DisableAnnotation = "kustomize.toolkit.fluxcd.io/substitute";

    /// <summary>What every variable name must match (Flux's check, before anything is substituted).</summary>
    public const string VariableNamePattern = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

    /// <summary>One resource, substituted (or itself when it opts out or there is nothing to do).</summary>
    /// <exception cref="KustomizeException">Flux's message, starting <c>envsubst error: </c>.</exception>
    public static JsonObject SubstituteResource(JsonObject resource, IReadOnlyDictionary<string, string> vars, bool strict, bool always = false)
    {
        if (resource.Label(DisableAnnotation) == "disabled" || resource.Annotation(DisableAnnotation) == "disabled" || (vars.Count == 0 && !always))
        {
            return resource;
        }

        if (vars.Keys.FirstOrDefault(k => !ValidName().IsMatch(k)) is { } invalid)
        {
            throw new KustomizeException($"envsubst error: '{invalid}' var name is invalid, must match '{VariableNamePattern}'");
        }

        var text = YamlText.Serialize(resource);
        string substituted;
        try
        {
            substituted = Substitute(text, vars, strict);
        }
        catch (KustomizeException e)
        {
            throw new KustomizeException($"envsubst error: {e.Message}", e);
        }

        if (substituted == text)
        {
            return resource;
        }

        try
        {
            return YamlText.ParseSubstituted(substituted) as JsonObject
                ?? throw new KustomizeException("envsubst error: UnmarshalJSON: the substituted resource is not a YAML map");
        }
        catch (Weir.Core.Yaml.YamlException e)
        {
            throw new KustomizeException($"envsubst error: YAMLToJSON: {e.Message}", e);
        }
    }

    /// <summary>Substitutes variables in one string, with Flux's lookup (values lose their line breaks).</summary>
    /// <exception cref="KustomizeException"><c>variable substitution failed: </c> and envsubst's error.</exception>
    public static string Substitute(string input, IReadOnlyDictionary<string, string> vars, bool strict)
    {
        try
        {
            return EnvsubstEvaluator.Evaluate(input, name => vars.TryGetValue(name, out var value)
                ? new EnvsubstValue(value.Replace("\n", "", StringComparison.Ordinal), true)
                : new EnvsubstValue("", !strict));
        }
        catch (EnvsubstException e)
        {
            throw new KustomizeException($"variable substitution failed: {e.Message}", e);
        }
    }

    [GeneratedRegex(@"^[_a-zA-Z][_a-zA-Z0-9]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();
}
