using System.Text;
using System.Text.Json.Nodes;

namespace Weir.Runtime.Kube;

/// <summary>The decoded <c>data</c> of a core/v1 Secret (values are base64 in the API), with <c>stringData</c> unused as the API server folds it in.</summary>
public static class SecretData
{
    /// <summary>Each key's value decoded as UTF-8 text.</summary>
    public static Dictionary<string, string> Decode(JsonObject secret)
    {
        var result = new Dictionary<string, string>();
        if (secret["data"] is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                if (value?.GetValue<string>() is { } encoded)
                {
                    result[key] = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                }
            }
        }

        return result;
    }
}
