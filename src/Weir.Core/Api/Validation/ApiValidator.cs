using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;

namespace Weir.Core.Api.Validation;

/// <summary>
/// Validates an object of any kind Weir serves: metadata, then our CRD schema (the same one the API server
/// enforces), then the kind's own rules. An empty list means valid.
/// </summary>
public static class ApiValidator
{
    public static IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (apiVersion is null || kind is null)
        {
            return [FieldError.Required(apiVersion is null ? "apiVersion" : "kind")];
        }

        if (CrdCatalog.SharedSchema(apiVersion, kind) is not { } schema)
        {
            var served = CrdCatalog.Descriptors.Select(d => $"{d.ApiVersion}, Kind={d.Kind}");
            return [FieldError.Unsupported("kind", JsonValue.Create($"{apiVersion}, Kind={kind}"), served)];
        }

        var errors = new List<FieldError>();
        if (obj["metadata"]?["name"] is null && obj["metadata"]?["generateName"] is null)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }

        errors.AddRange(SchemaValidator.Validate(obj, schema));
        if (errors.Count == 0)
        {
            errors.AddRange(RulesFor(obj));
        }

        return errors;
    }

    /// <summary>Validates a typed object (serialized the way Weir writes it).</summary>
    public static IReadOnlyList<FieldError> Validate<T>(T obj) where T : class => Validate(ApiObjects.Write(obj));

    private static IEnumerable<FieldError> RulesFor(JsonObject obj)
    {
        object typed;
        try
        {
            typed = ApiObjects.Read(obj);
        }
        catch (JsonException e)
        {
            // Schema-valid but out of range for the field's type, e.g. an integer beyond int32.
            return [FieldError.Invalid(e.Path is { Length: > 2 } p ? p[2..] : "", null, e.Message)];
        }

        return Rules(typed);
    }

    private static IEnumerable<FieldError> Rules(object typed) => typed switch
    {
        OCIRepository o => KindRules.For(o),
        GitRepository o => KindRules.For(o),
        HelmChart o => KindRules.For(o),
        Bucket o => KindRules.For(o),
        Kustomization o => KindRules.For(o),
        HelmRelease o => KindRules.For(o),
        _ => [],
    };
}
