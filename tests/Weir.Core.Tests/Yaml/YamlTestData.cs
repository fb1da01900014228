using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Core.Tests.Yaml;

/// <summary>Reads the stored oracle data and compares JSON by meaning.</summary>
internal static class YamlTestData
{
    public static string DataFile(string name) => TestPaths.Output("Yaml", name);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<JsonObject>> Files = new();

    /// <summary>The lines of a stored data file (read once; callers must not modify the objects).</summary>
    public static IReadOnlyList<JsonObject> ReadLines(string file) =>
        Files.GetOrAdd(file, f => File.ReadLines(DataFile(f)).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList());

    /// <summary>Parses JSON text of any depth (the limit cases nest 10,000 levels).</summary>
    public static JsonNode? ParseDeep(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 1_000_000 });

    /// <summary>Same JSON value: object members in any order, numbers equal by value.</summary>
    public static bool SameJson(JsonNode? a, JsonNode? b) => OnLargeStack(() => Same(a, b));

    public static T OnLargeStack<T>(Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    result = work();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            256 * 1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("comparison failed", failure);
    }

    private static bool Same(JsonNode? a, JsonNode? b)
    {
        switch (a)
        {
            case null:
                return b is null;
            case JsonObject oa:
                return b is JsonObject ob && oa.Count == ob.Count
                    && oa.All(p => ob.TryGetPropertyValue(p.Key, out var v) && Same(p.Value, v));
            case JsonArray aa:
                return b is JsonArray ab && aa.Count == ab.Count && aa.Zip(ab).All(p => Same(p.First, p.Second));
            default:
                if (b is not JsonValue vb)
                {
                    return false;
                }

                var va = (JsonValue)a;
                var kind = va.GetValueKind();
                if (kind != vb.GetValueKind())
                {
                    return false;
                }

                return kind switch
                {
                    JsonValueKind.String => va.GetValue<string>() == vb.GetValue<string>(),
                    JsonValueKind.Number => SameNumber(va.ToJsonString(), vb.ToJsonString()),
                    _ => true,
                };
        }
    }

    /// <summary>Integers that fit 64 bits compare exactly; anything else as Go's float64 would hold it.</summary>
    private static bool SameNumber(string a, string b)
    {
        if (long.TryParse(a, CultureInfo.InvariantCulture, out var la) && long.TryParse(b, CultureInfo.InvariantCulture, out var lb))
        {
            return la == lb;
        }

        if (ulong.TryParse(a, CultureInfo.InvariantCulture, out var ua) && ulong.TryParse(b, CultureInfo.InvariantCulture, out var ub))
        {
            return ua == ub;
        }

        return double.Parse(a, CultureInfo.InvariantCulture) == double.Parse(b, CultureInfo.InvariantCulture);
    }
}
