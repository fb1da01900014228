using System.Text.Json.Nodes;

namespace Weir.Cli.Create;

/// <summary>flux's <c>--depends-on</c> values, <c>&lt;name&gt;</c> or <c>&lt;namespace&gt;/&lt;name&gt;</c>, as <c>spec.dependsOn</c>.</summary>
public static class DependsOnFlag
{
    public static JsonArray? ToSpec(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var array = new JsonArray();
        foreach (var value in values)
        {
            var slash = value.IndexOf('/');
            array.Add(slash < 0
                ? new JsonObject { ["name"] = value }
                : new JsonObject { ["name"] = value[(slash + 1)..], ["namespace"] = value[..slash] });
        }

        return array;
    }
}
