using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The simulated-exit convention: a container exits with code N when its command and arguments end in a script that
/// is exactly <c>exit N</c> (e.g. <c>command: ["sh", "-c", "exit 3"]</c>), and with code 1 when its image tag ends in
/// <c>-fail</c> (or is <c>fail</c>), e.g. <c>busybox:1.36-fail</c>. Other containers run until their pod's restart
/// policy says they finish (<see cref="SimulatedPod"/>).
/// </summary>
internal static partial class ContainerExit
{
    /// <summary>The exit code the convention gives <paramref name="container"/>, or null when it says nothing.</summary>
    public static int? Code(JsonObject container)
    {
        var words = new List<string>();
        foreach (var list in new[] { "command", "args" })
        {
            words.AddRange((container[list] as JsonArray)?.Select(Json.Str) ?? []);
        }
        if (words.Count > 0 && ExitScript().Match(words[^1]) is { Success: true } m)
        {
            return int.Parse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture) & 0xff;
        }
        return BrokenImage.Tag(Json.Str(container["image"])) is { } tag && (tag == "fail" || tag.EndsWith("-fail", StringComparison.Ordinal)) ? 1 : null;
    }

    [GeneratedRegex(@"^\s*exit\s+(\d{1,9})\s*;?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex ExitScript();
}
