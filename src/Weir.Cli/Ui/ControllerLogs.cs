using System.Text;
using Weir.Cli.Commands;

namespace Weir.Cli.Ui;

/// <summary><c>:logs</c>: the newest lines of the controllers' JSON log, rendered as <c>weir logs</c> renders them.</summary>
public static class ControllerLogs
{
    private const int TailBytes = 256 * 1024;

    public static IReadOnlyList<StyledLine> Tail(string? path, int lines)
    {
        if (path is null || !File.Exists(path))
        {
            return [StyledLine.Of($"no controller log found{(path is null ? "" : $" at {path}")} (weir up writes controllers.log beside its kubeconfig)", Tone.Dim)];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Max(0, stream.Length - TailBytes), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var filter = new LogFilter(null, null, null, null);
        return [.. reader.ReadToEnd().Split('\n')
            .Select(filter.Render)
            .OfType<string>()
            .TakeLast(lines)
            .Reverse()
            .Select(l => StyledLine.Of(l, l.Contains(" error ", StringComparison.Ordinal) ? Tone.Bad : Tone.Normal))];
    }
}
