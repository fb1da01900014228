using System.Text.Json.Nodes;

namespace Weir.Core.Tests.Patching;

/// <summary>The real <c>kubectl patch --local</c>, offline, as the oracle for patch semantics.</summary>
internal static class KubectlPatchOracle
{
    public static JsonObject Patch(JsonObject obj, string type, string patch)
    {
        var ok = TryPatch(obj, type, patch, out var result, out var error);
        Assert.True(ok, error);
        return result!;
    }

    public static bool TryPatch(JsonObject obj, string type, string patch, out JsonObject? result) => TryPatch(obj, type, patch, out result, out _);

    private static bool TryPatch(JsonObject obj, string type, string patch, out JsonObject? result, out string error)
    {
        var file = Path.Combine(Path.GetTempPath(), $"weir-patch-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, obj.ToJsonString());
        try
        {
            var (code, stdout, stderr) = TestProcess.Run("kubectl", ["patch", "--local", "-f", file, "--type", type, "-p", patch, "-o", "json"]);
            error = stderr;
            result = code == 0 ? JsonNode.Parse(stdout)!.AsObject() : null;
            return code == 0;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
