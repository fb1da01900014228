using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Cli.Flux;

/// <summary>
/// Keeps Secret values out of what the CLI prints, as flux does. A diff shows <c>***</c> for each value and
/// <c>*** (before)</c> / <c>*** (after)</c> for a changed one (fluxcd/pkg ssa's sanitizing); a build shows
/// SOPS-encrypted values as <c>**SOPS**</c> (flux build's masking) and the other values as the files hold them.
/// </summary>
public static class SecretMask
{
    public const string Value = "***";
    public const string Before = "*** (before)";
    public const string After = "*** (after)";
    public const string Sops = "**SOPS**";

    private const string DockerConfigJson = "kubernetes.io/dockerconfigjson";

    /// <summary>Masks the values of two versions of a Secret in place, so a diff still tells which changed.</summary>
    public static void ForDiff(JsonObject before, JsonObject after)
    {
        if (before.Kind() != "Secret" && after.Kind() != "Secret")
        {
            return;
        }

        foreach (var field in new[] { "data", "stringData" })
        {
            MaskMaps(before[field] as JsonObject, after[field] as JsonObject);
        }
    }

    /// <summary>Replaces SOPS-encrypted values of a built Secret with <c>**SOPS**</c> and drops its <c>sops</c> metadata.</summary>
    public static void ForBuild(JsonObject obj)
    {
        if (obj.Kind() != "Secret")
        {
            return;
        }

        var data = obj["data"] as JsonObject;
        var stringData = obj["stringData"] as JsonObject;
        if (obj["sops"] is JsonObject sops && Text(sops["mac"]).StartsWith("ENC[", StringComparison.Ordinal))
        {
            // Encrypted as a whole: every value is ciphertext.
            obj.Remove("sops");
            var mask = Text(obj["type"]) == DockerConfigJson ? new JsonObject { ["mask"] = Sops }.ToJsonString() : Sops;
            Replace(data, _ => true, Base64(mask));
            Replace(stringData, _ => true, mask);
            return;
        }

        Replace(data, v => IsSopsValue(Decode(v)), Base64(Sops));
        Replace(stringData, IsSopsValue, Sops);
    }

    private static void MaskMaps(JsonObject? before, JsonObject? after)
    {
        var keys = (before?.Select(p => p.Key) ?? []).Union(after?.Select(p => p.Key) ?? []).ToList();
        foreach (var key in keys)
        {
            var old = before?[key];
            var now = after?[key];
            var changed = before is not null && after is not null && before.ContainsKey(key) && after.ContainsKey(key) && !JsonNode.DeepEquals(old, now);
            if (before?.ContainsKey(key) == true)
            {
                before[key] = changed ? Before : Value;
            }

            if (after?.ContainsKey(key) == true)
            {
                after[key] = changed ? After : Value;
            }
        }
    }

    private static void Replace(JsonObject? map, Func<string, bool> when, string mask)
    {
        foreach (var key in map?.Where(p => when(Text(p.Value))).Select(p => p.Key).ToList() ?? [])
        {
            map![key] = mask;
        }
    }

    private static bool IsSopsValue(string value) => value.Contains("sops", StringComparison.Ordinal) && value.Contains("ENC[", StringComparison.Ordinal);

    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
