using System.Text.Json.Serialization;

namespace Weir.Core.Api.Schema;

/// <summary>Serializes <see cref="DefaultAttribute"/> values into schemas.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
internal sealed partial class SchemaValueContext : JsonSerializerContext;
