using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Core.Time;

namespace Weir.Cli.Create;

/// <summary>Flags every <c>create source</c> kind has: <c>--fetch-timeout</c> and <c>--ignore-paths</c>.</summary>
public sealed class SourceFlags
{
    public Option<string?> FetchTimeout { get; } = new("--fetch-timeout") { Description = "set a timeout for fetch operations performed by source-controller (e.g. 'git clone' or 'helm repo update')" };

    public Option<string[]> IgnorePaths { get; } = new("--ignore-paths") { Description = "set paths to ignore in the source (can specify multiple paths with commas: path1,path2)" };

    /// <summary>Writes <c>timeout</c> and <c>ignore</c> (paths one per line) into <paramref name="spec"/> when given.</summary>
    public void Apply(ParseResult parse, JsonObject spec, bool ignore = true)
    {
        if (CreateFlags.Duration(parse, FetchTimeout) is { } timeout && timeout > TimeSpan.Zero)
        {
            spec["timeout"] = FluxDuration.Format(timeout);
        }

        if (ignore && CreateFlags.List(parse, IgnorePaths) is { Count: > 0 } paths)
        {
            spec["ignore"] = string.Join('\n', paths);
        }
    }
}
