using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Http;

/// <summary>
/// Decodes the protobuf request bodies kubectl 1.32+ sends (<c>application/vnd.kubernetes.protobuf</c>): the
/// <c>k8s\0</c> magic, then a runtime.Unknown envelope {typeMeta=1 {apiVersion=1, kind=2}, raw=2}, whose raw bytes are
/// the kind's message. The result is the JSON object the same command sends from older kubectl versions. Go's
/// protobuf writes every non-pointer field, so empty strings, zeros, false and empty messages are dropped unless the
/// field is a pointer in Go (<see cref="ProtoField.KeepZero"/>).
/// </summary>
internal static class ProtobufBody
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw ApiException.BadRequest("the protobuf body does not start with the k8s magic prefix");
        }
        string apiVersion = "", kind = "";
        ReadOnlyMemory<byte> raw = default;
        var envelope = new Reader(body.AsMemory(Magic.Length));
        while (envelope.Next() is var (field, wire))
        {
            switch (field)
            {
                case 1 when wire == 2:
                    var typeMeta = new Reader(envelope.Bytes());
                    while (typeMeta.Next() is var (f, w))
                    {
                        if (f == 1 && w == 2)
                        {
                            apiVersion = Encoding.UTF8.GetString(typeMeta.Bytes().Span);
                        }
                        else if (f == 2 && w == 2)
                        {
                            kind = Encoding.UTF8.GetString(typeMeta.Bytes().Span);
                        }
                        else
                        {
                            typeMeta.Skip(w);
                        }
                    }
                    break;
                case 2 when wire == 2:
                    raw = envelope.Bytes();
                    break;
                default:
                    envelope.Skip(wire);
                    break;
            }
        }
        if (!ProtobufSchema.Messages.ContainsKey(kind))
        {
            throw ApiException.UnsupportedMediaType("application/json, application/yaml");
        }
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (key, value) in Message(raw, kind))
        {
            obj[key] = value?.DeepClone();
        }
        // Re-parse so values are backed by JSON text, as every other decoded body is.
        return (JsonObject)JsonNode.Parse(obj.ToJsonString())!;
    }

    private static JsonObject Message(ReadOnlyMemory<byte> bytes, string message)
    {
        var schema = ProtobufSchema.Messages[message];
        var obj = new JsonObject();
        var reader = new Reader(bytes);
        while (reader.Next() is var (number, wire))
        {
            if (!schema.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }
            var value = Value(reader, wire, field);
            if (field.Kind is ProtoKind.StringMap or ProtoKind.BytesMap or ProtoKind.QuantityMap)
            {
                var map = obj[field.Name] as JsonObject ?? (JsonObject)(obj[field.Name] = new JsonObject());
                var entry = value!.AsArray();
                map[entry[0]!.GetValue<string>()] = entry[1]!.DeepClone();
            }
            else if (field.Repeated)
            {
                var list = obj[field.Name] as JsonArray ?? (JsonArray)(obj[field.Name] = new JsonArray());
                list.Add(value ?? new JsonObject());
            }
            else if (value is not null)
            {
                obj[field.Name] = value;
            }
        }
        return obj;
    }

    private static JsonNode? Value(Reader reader, int wire, ProtoField field)
    {
        switch (field.Kind)
        {
            case ProtoKind.Int:
                var n = (long)reader.Varint();
                return n == 0 && !field.KeepZero ? null : JsonValue.Create(n);
            case ProtoKind.Bool:
                var b = reader.Varint() != 0;
                return !b && !field.KeepZero ? null : JsonValue.Create(b);
            case ProtoKind.String:
                var s = Encoding.UTF8.GetString(reader.Bytes().Span);
                return s == "" && !field.Repeated ? null : JsonValue.Create(s);
            case ProtoKind.Bytes:
                return JsonValue.Create(Convert.ToBase64String(reader.Bytes().Span));
            case ProtoKind.Message:
                var m = Message(reader.Bytes(), field.Message!);
                return m.Count == 0 && !field.Repeated ? null : m;
            case ProtoKind.StringMap or ProtoKind.BytesMap or ProtoKind.QuantityMap:
                return MapEntry(reader.Bytes(), field.Kind);
            case ProtoKind.IntOrString:
                return IntOrString(reader.Bytes());
            case ProtoKind.Quantity:
                return JsonValue.Create(Quantity(reader.Bytes()));
            case ProtoKind.Time:
                var seconds = 0L;
                var time = new Reader(reader.Bytes());
                while (time.Next() is var (f, w))
                {
                    if (f == 1 && w == 0)
                    {
                        seconds = (long)time.Varint();
                    }
                    else
                    {
                        time.Skip(w);
                    }
                }
                return seconds == 0 ? null : JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            default:
                reader.Skip(wire);
                return null;
        }
    }

    private static JsonArray MapEntry(ReadOnlyMemory<byte> bytes, ProtoKind kind)
    {
        var key = "";
        JsonNode value = kind == ProtoKind.QuantityMap ? "0" : "";
        var reader = new Reader(bytes);
        while (reader.Next() is var (f, w))
        {
            if (f == 1 && w == 2)
            {
                key = Encoding.UTF8.GetString(reader.Bytes().Span);
            }
            else if (f == 2 && w == 2)
            {
                var v = reader.Bytes();
                value = kind switch
                {
                    ProtoKind.StringMap => Encoding.UTF8.GetString(v.Span),
                    ProtoKind.BytesMap => Convert.ToBase64String(v.Span),
                    _ => Quantity(v),
                };
            }
            else
            {
                reader.Skip(w);
            }
        }
        return [key, value];
    }

    private static JsonNode? IntOrString(ReadOnlyMemory<byte> bytes)
    {
        long type = 0, intVal = 0;
        var strVal = "";
        var reader = new Reader(bytes);
        while (reader.Next() is var (f, w))
        {
            switch (f)
            {
                case 1 when w == 0:
                    type = (long)reader.Varint();
                    break;
                case 2 when w == 0:
                    intVal = (long)reader.Varint();
                    break;
                case 3 when w == 2:
                    strVal = Encoding.UTF8.GetString(reader.Bytes().Span);
                    break;
                default:
                    reader.Skip(w);
                    break;
            }
        }
        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create((int)intVal);
    }

    private static string Quantity(ReadOnlyMemory<byte> bytes)
    {
        var reader = new Reader(bytes);
        var text = "";
        while (reader.Next() is var (f, w))
        {
            if (f == 1 && w == 2)
            {
                text = Encoding.UTF8.GetString(reader.Bytes().Span);
            }
            else
            {
                reader.Skip(w);
            }
        }
        return text;
    }

    /// <summary>A cursor over protobuf wire format.</summary>
    private sealed class Reader(ReadOnlyMemory<byte> data)
    {
        private int _pos;

        /// <summary>The next field's number and wire type, or null at the end.</summary>
        public (int Field, int Wire)? Next()
        {
            if (_pos >= data.Length)
            {
                return null;
            }
            var tag = Varint();
            return ((int)(tag >> 3), (int)(tag & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= data.Length)
                {
                    throw Malformed();
                }
                var b = data.Span[_pos++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }
            throw Malformed();
        }

        public ReadOnlyMemory<byte> Bytes()
        {
            var length = Varint();
            if (length > (ulong)(data.Length - _pos))
            {
                throw Malformed();
            }
            var slice = data.Slice(_pos, (int)length);
            _pos += (int)length;
            return slice;
        }

        public void Skip(int wire)
        {
            switch (wire)
            {
                case 0:
                    Varint();
                    break;
                case 1:
                    _pos += 8;
                    break;
                case 2:
                    Bytes();
                    break;
                case 5:
                    _pos += 4;
                    break;
                default:
                    throw Malformed();
            }
            if (_pos > data.Length)
            {
                throw Malformed();
            }
        }

        private static ApiException Malformed() => ApiException.BadRequest("the protobuf body is malformed");
    }
}
