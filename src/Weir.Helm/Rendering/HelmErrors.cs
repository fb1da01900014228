using System.Text;
using System.Text.RegularExpressions;
using Weir.Templates;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>Helm's own <c>required</c> and <c>fail</c>: their message is marked so the error shows it alone, after the location.</summary>
internal static class HelmErrorFunctions
{
    public const string Start = "HELM_ERR_START";
    public const string End = "HELM_ERR_END";

    public static IEnumerable<TemplateFunction> Create() =>
    [
        new TemplateFunction("required", [GoType.String, GoType.Interface], static (_, a) =>
            a[1].IsNothing || (a[1].IsString && a[1].AsString.Length == 0) ? throw new TemplateFunctionException(Start + a[0].AsString + End) : a[1]),
        new TemplateFunction("fail", [GoType.String], static (_, a) => throw new TemplateFunctionException(Start + a[0].AsString + End)),
    ];
}

/// <summary>Template errors reworded as Helm 4 prints them.</summary>
internal static partial class HelmErrors
{
    /// <summary>Helm's cleanupParseError: <c>parse error at (NAME:LINE): MESSAGE</c>.</summary>
    public static string ParseError(string file, string message)
    {
        var tokens = message.Split(": ");
        return tokens.Length == 1 ? $"parse error in ({file}): {message}" : $"parse error at ({tokens[1]}): {tokens[^1]}";
    }

    /// <summary>Helm's reformatExecErrorMsg: the location of each nested template, what it executed, and the message.</summary>
    public static string ExecError(string file, string message)
    {
        var tokens = message.Split(": ", 3);
        if (tokens.Length != 3)
        {
            return $"execution error in ({file}): {message}";
        }

        var marked = Marked().Match(tokens[2]);
        if (marked.Success)
        {
            return $"execution error at ({tokens[1]}): {marked.Groups[1].Value}";
        }

        var traces = new List<Trace>();
        var current = message;
        while (current is not null)
        {
            var trace = Parse(current);
            if (trace is null)
            {
                return message;
            }

            if (traces.Count == 0 || traces[^1] != trace)
            {
                traces.Add(trace);
            }

            // The wrapped error of a call (include, tpl) is the next "template: …" inside the message.
            var next = current.IndexOf(" template: ", "template: ".Length, StringComparison.Ordinal);
            current = next < 0 ? null : current[(next + 1)..];
        }

        var sb = new StringBuilder();
        foreach (var t in traces)
        {
            sb.Append(t);
        }

        return sb.ToString().Trim();
    }

    private static Trace? Parse(string s)
    {
        const string Prefix = "template: ";
        if (!s.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = s[Prefix.Length..];
        if (rest.StartsWith("no template ", StringComparison.Ordinal))
        {
            return new Trace("", s, "");
        }

        var exec = rest.IndexOf(": executing ", StringComparison.Ordinal);
        if (exec >= 0)
        {
            var name = rest[..exec];
            var after = rest[(exec + ": executing ".Length)..];
            if (after.Length > 0 && after[0] == '"')
            {
                var endQuote = after.IndexOf('"', 1);
                if (endQuote > 0)
                {
                    var function = after[1..endQuote];
                    var afterFunc = after[(endQuote + 1)..];
                    if (afterFunc.StartsWith(" at <", StringComparison.Ordinal))
                    {
                        var afterAt = afterFunc[" at <".Length..];
                        var cut = afterAt.IndexOf(">: ", StringComparison.Ordinal);
                        if (cut >= 0)
                        {
                            var message = CutNested(afterAt[(cut + 3)..]);
                            return new Trace(name, message, $"executing \"{function}\" at <{afterAt[..cut]}>:");
                        }
                    }
                }
            }
        }

        var sep = rest.LastIndexOf(": ", StringComparison.Ordinal);
        return sep < 0 ? null : new Trace(rest[..sep], CutNested(rest[(sep + 2)..]), "");
    }

    private static string CutNested(string message)
    {
        var cut = message.IndexOf(" template:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    [GeneratedRegex(HelmErrorFunctions.Start + "((?s).*)" + HelmErrorFunctions.End)]
    private static partial Regex Marked();

    private sealed record Trace(string Location, string Message, string Executed)
    {
        public override string ToString()
        {
            var sb = new StringBuilder();
            if (Location.Length > 0)
            {
                sb.Append(Location).Append("\n  ");
            }

            if (Executed.Length > 0)
            {
                sb.Append(Executed).Append("\n    ");
            }

            if (Message.Length > 0)
            {
                sb.Append(Message).Append('\n');
            }

            return sb.ToString();
        }
    }
}
