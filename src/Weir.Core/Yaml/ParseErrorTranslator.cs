using System.Text.RegularExpressions;
using DotNetYamlException = YamlDotNet.Core.YamlException;

namespace Weir.Core.Yaml;

/// <summary>
/// Turns whatever YamlDotNet throws on malformed input into a <see cref="YamlException"/> worded as go-yaml words it
/// (<c>yaml: line 5: did not find expected ',' or ']'</c>), as kustomize and Flux report it. Besides its own
/// exceptions YamlDotNet throws bare <see cref="InvalidOperationException"/>s and others on some inputs (for example
/// an unclosed flow sequence followed by less indented lines); those are translated too.
/// </summary>
internal static partial class ParseErrorTranslator
{
    /// <summary>The collection being parsed when the error happened: go-yaml's "context" of a parser error.</summary>
    public readonly record struct OpenCollection(int Line, bool Flow, bool Sequence);

    /// <summary>
    /// The problem and where go-yaml would say it is. go-yaml v3 (kustomize's kyaml, <paramref name="contextFirst"/>)
    /// reports the line where the enclosing construct starts when it has one, else the line of the problem; go-yaml v2
    /// (sigs.k8s.io/yaml) the other way round. Parser errors count lines from 0, scanner errors from 1 (v2: only for the
    /// problem's line), and a line 0 is not reported.
    /// </summary>
    public static YamlException Translate(Exception error, OpenCollection? open, int lastEventLine, bool contextFirst)
    {
        if (error is DotNetYamlException e)
        {
            var raw = MarkPrefix().Replace(e.Message, "");
            var scanner = IsScannerError(raw);
            var contextLine = scanner ? (int)e.Start.Line : (ParserContextOf(raw) ? open?.Line : null) ?? (int)e.Start.Line;
            var problemLine = scanner ? (int)e.End.Line : (int)e.Start.Line;
            return Located(GoWording(raw), contextLine, problemLine, scanner, contextFirst, (int)e.Start.Line, (int)e.Start.Column, e);
        }

        // Not one of YamlDotNet's own errors: it gave up inside a collection that never closes properly.
        var message = open switch
        {
            { Flow: true, Sequence: true } => "did not find expected ',' or ']'",
            { Flow: true, Sequence: false } => "did not find expected ',' or '}'",
            _ => "unknown problem parsing YAML content",
        };
        return Located(message, open?.Line ?? lastEventLine, lastEventLine, scanner: false, contextFirst, lastEventLine, null, error);
    }

    private static YamlException Located(
        string message, int contextLine, int problemLine, bool scanner, bool contextFirst, int line, int? column, Exception inner)
    {
        // YamlDotNet counts lines from 1, go-yaml from 0.
        int context = Math.Max(contextLine - 1, 0), problem = Math.Max(problemLine - 1, 0);
        var scannerShift = scanner ? 1 : 0;
        var reported = contextFirst
            ? (context > 0 ? context + scannerShift : problem > 0 ? problem + scannerShift : 0)
            : (problem > 0 ? problem + scannerShift : context);

        var where = reported > 0 ? $"line {reported}: " : "";
        return new YamlException($"yaml: {where}{message}", line, column, inner);
    }

    /// <summary>libyaml's scanner errors: YamlDotNet prefixes them "While scanning", except the three indicator checks.</summary>
    private static bool IsScannerError(string message) =>
        message.StartsWith("While scanning", StringComparison.Ordinal)
        || message.StartsWith("Mapping values are not allowed", StringComparison.Ordinal)
        || message.StartsWith("Mapping keys are not allowed", StringComparison.Ordinal)
        || message.StartsWith("Block sequence entries are not allowed", StringComparison.Ordinal);

    /// <summary>Parser errors whose go-yaml context is the enclosing collection (its start line is reported).</summary>
    private static bool ParserContextOf(string message) =>
        message.StartsWith("While parsing a flow", StringComparison.Ordinal)
        || message.StartsWith("While parsing a block mapping", StringComparison.Ordinal)
        || message.StartsWith("While parsing a block collection", StringComparison.Ordinal);

    /// <summary>"While parsing a block mapping, did not find expected key." becomes go-yaml's "did not find expected key".</summary>
    private static string GoWording(string message)
    {
        message = ContextPrefix().Replace(message, "").TrimEnd('.');
        message = message.Length > 0 ? char.ToLowerInvariant(message[0]) + message[1..] : message;
        return message == "found invalid mapping" ? "mapping values are not allowed in this context" : message;
    }

    [GeneratedRegex(@"^While [^,]*,\s+")]
    private static partial Regex ContextPrefix();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
