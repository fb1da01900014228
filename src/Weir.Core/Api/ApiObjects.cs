using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Weir.Core.Api.Crds;
using Weir.Core.Api.Source;

namespace Weir.Core.Api;

/// <summary>Converts between objects held as <see cref="JsonObject"/> and the typed API records.</summary>
public static class ApiObjects
{
    private static readonly Dictionary<(string ApiVersion, string Kind), JsonTypeInfo> Kinds =
        CrdCatalog.Descriptors.ToDictionary(d => (d.ApiVersion, d.Kind), d => d.Object);

    /// <summary>The record type for an apiVersion and kind Weir serves, or null.</summary>
    public static Type? TypeFor(string apiVersion, string kind) => Kinds.GetValueOrDefault((apiVersion, kind))?.Type;

    public static T Read<T>(JsonObject obj) where T : class =>
        obj.Deserialize(TypeInfo<T>()) ?? throw new JsonException($"{typeof(T).Name} is null");

    /// <summary>Reads any served kind into its record type (e.g. <see cref="OCIRepository"/>).</summary>
    public static object Read(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
        var kind = obj["kind"]?.GetValue<string>() ?? "";
        var typeInfo = Kinds.GetValueOrDefault((apiVersion, kind))
            ?? throw new NotSupportedException($"Weir does not serve {apiVersion}, Kind={kind}");
        return obj.Deserialize(typeInfo) ?? throw new JsonException($"{kind} is null");
    }

    public static JsonObject Write<T>(T value) where T : class =>
        JsonSerializer.SerializeToNode(value, TypeInfo<T>())?.AsObject() ?? throw new JsonException($"{typeof(T).Name} wrote null");

    /// <summary>Writes any record of a served kind.</summary>
    public static JsonObject Write(object value) =>
        JsonSerializer.SerializeToNode(value, ApiJsonContext.Default.GetTypeInfo(value.GetType())
            ?? throw new NotSupportedException($"{value.GetType().Name} is not an API type"))!.AsObject();

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        ApiJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new NotSupportedException($"{typeof(T).Name} is not an API type");
}
