using System.CommandLine;
using Weir.Core.Time;

namespace Weir.Cli.Create;

/// <summary>Parsing of flux's flag values: durations, comma-separated lists and <c>&lt;kind&gt;/&lt;name&gt;.&lt;namespace&gt;</c> references.</summary>
public static class CreateFlags
{
    /// <summary>A Go duration flag (<c>5m</c>, <c>1h30m</c>); null when not given.</summary>
    public static TimeSpan? Duration(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { Length: > 0 } text)
        {
            return null;
        }

        return FluxDuration.TryParse(text, out var value)
            ? value
            : throw new CliUsageException($"invalid argument \"{text}\" for \"{option.Name}\" flag: time: invalid duration \"{text}\"");
    }

    /// <summary>The values of a repeatable, comma-separated flag (cobra's StringSlice).</summary>
    public static IReadOnlyList<string> List(ParseResult parse, Option<string[]> option) =>
        [.. (parse.GetValue(option) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    /// <summary>
    /// A source reference as flux's flags take it, <c>[&lt;kind&gt;/]&lt;name&gt;[.&lt;namespace&gt;]</c>: the kind
    /// (matched case-insensitively against <paramref name="kinds"/>, <paramref name="defaultKind"/> when absent), the
    /// name and the namespace, if any.
    /// </summary>
    public static (string Kind, string Name, string? Namespace) ObjectRef(string flag, string value, IReadOnlyList<string> kinds, string? defaultKind)
    {
        var slash = value.IndexOf('/');
        var kind = slash < 0 ? defaultKind : value[..slash];
        var rest = slash < 0 ? value : value[(slash + 1)..];
        var known = kinds.FirstOrDefault(k => string.Equals(k, kind, StringComparison.OrdinalIgnoreCase));
        if (known is null)
        {
            throw new CliUsageException(
                $"invalid argument \"{value}\" for \"--{flag}\" flag: source kind '{kind}' is not supported, must be one of: {string.Join(", ", kinds)}");
        }

        var dot = rest.IndexOf('.');
        var name = dot < 0 ? rest : rest[..dot];
        var ns = dot < 0 ? null : rest[(dot + 1)..];
        if (name.Length == 0)
        {
            throw new CliUsageException($"invalid argument \"{value}\" for \"--{flag}\" flag: name is empty");
        }

        return (known, name, ns);
    }
}
