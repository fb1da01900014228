namespace Weir.Core.Yaml;

/// <summary>
/// Inputs that YamlDotNet accepts but go-yaml (libyaml) rejects. Each check looks at the raw source
/// span of an event, so sigs.k8s.io/yaml's verdict is reproduced without a second parser.
/// </summary>
internal static class GoSyntaxChecks
{
    private const int MaxSimpleKeyLength = 1024;
    private const string DoubleQuotedEscapes = "0abt\tnvfre \"'\\N_LPxuU";

    /// <summary>libyaml knows fewer escapes than YAML 1.2 (no <c>\/</c>).</summary>
    public static void DoubleQuoted(string source, int start, int end, int line)
    {
        for (var i = start + 1; i < end - 1 && i < source.Length - 1; i++)
        {
            if (source[i] != '\\')
            {
                continue;
            }

            var next = source[i + 1];
            if (next is not ('\r' or '\n') && !DoubleQuotedEscapes.Contains(next, StringComparison.Ordinal))
            {
                throw new YamlException($"yaml: line {line}: found unknown escape character while parsing a quoted scalar", line);
            }

            i++;
        }
    }

    /// <summary>
    /// While a block scalar's indentation is still being detected (no indentation indicator, up to its first
    /// non-empty line), or on lines indented less than it, a tab is an error.
    /// </summary>
    public static void BlockScalarTabs(string source, int start, int end, int line)
    {
        var i = source.IndexOf('\n', start);
        if (i < 0 || i >= end)
        {
            return;
        }

        var header = source[start..i];
        if (header.Any(char.IsAsciiDigit))
        {
            return;
        }

        var indent = 0;
        var lineNo = line;
        for (i++; i < end; i++)
        {
            lineNo++;
            var spaces = 0;
            while (i < end && source[i] == ' ')
            {
                spaces++;
                i++;
            }

            if (i < end && source[i] == '\t' && (indent == 0 || spaces < indent))
            {
                throw new YamlException($"yaml: line {lineNo}: found a tab character where an indentation space is expected", lineNo);
            }

            var lineEnd = source.IndexOf('\n', i);
            var content = i < end && source[i] is not ('\r' or '\n');
            if (indent == 0 && content)
            {
                indent = spaces;
            }

            if (lineEnd < 0)
            {
                return;
            }

            i = lineEnd;
        }
    }

    /// <summary>libyaml gives up on an implicit key once 1024 characters pass without its ':'.</summary>
    public static void SimpleKeyLength(string source, int start, int end, int startLine, int endLine)
    {
        if (startLine != endLine || end - start <= MaxSimpleKeyLength)
        {
            return;
        }

        var j = start - 1;
        while (j >= 0 && source[j] == ' ')
        {
            j--;
        }

        if (j >= 0 && source[j] == '?')
        {
            return;
        }

        throw new YamlException($"yaml: line {startLine}: could not find expected ':' (implicit key longer than {MaxSimpleKeyLength} characters)", startLine);
    }

    /// <summary>
    /// In block context a plain scalar ends at ": "; YamlDotNet lets an over-long implicit key run on
    /// into one, where libyaml reports the ':' as misplaced.
    /// </summary>
    public static void PlainInBlock(string source, int start, int end, int line, bool isKey)
    {
        if (!isKey)
        {
            var after = Math.Min(end, source.Length);
            while (after < source.Length && source[after] == ' ')
            {
                after++;
            }

            if (after < source.Length && source[after] == ':' && (after + 1 == source.Length || source[after + 1] is ' ' or '\t' or '\r' or '\n'))
            {
                throw new YamlException($"yaml: line {line}: mapping values are not allowed in this context", line);
            }
        }

        if (start >= source.Length || end <= start)
        {
            return;
        }

        var span = source.AsSpan(start, Math.Min(end, source.Length) - start);
        if (span.IndexOf(": ") >= 0 || span.IndexOf(":\t") >= 0)
        {
            throw new YamlException($"yaml: line {line}: mapping values are not allowed in this context", line);
        }
    }

    /// <summary>libyaml's reader accepts only printable characters, tab and line breaks.</summary>
    public static void Characters(string source)
    {
        var line = 1;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c is >= ' ' and <= '~' or '\t' or '\r')
            {
                continue;
            }

            if (c == '\n')
            {
                line++;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                i++;
                continue;
            }

            if (c is '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
            {
                continue;
            }

            throw new YamlException($"yaml: line {line}: control characters are not allowed", line);
        }
    }

    /// <summary>
    /// Refuses a run of more than <see cref="YamlDocumentReader.MaxDepth"/> flow openers up front: YamlDotNet's
    /// scanner slows down with every open level, so such a run would take seconds to reach the limit.
    /// </summary>
    public static void FlowOpenerRuns(string source)
    {
        var i = source.AsSpan().IndexOfAny('[', '{');
        while (i >= 0 && i < source.Length)
        {
            if (StartsFlow(source, i))
            {
                var depth = 0;
                var j = i;
                for (; j < source.Length; j++)
                {
                    var c = source[j];
                    if (c is '[' or '{')
                    {
                        depth++;
                    }
                    else if (c is not (' ' or '\n' or '\r' or '\t'))
                    {
                        break;
                    }
                }

                if (depth > YamlDocumentReader.MaxDepth)
                {
                    var line = 1 + source.AsSpan(0, i).Count('\n');
                    throw new YamlException($"yaml: line {line}: exceeded max depth of {YamlDocumentReader.MaxDepth} (document nested too deeply)", line);
                }

                i = j;
            }
            else
            {
                i++;
            }

            var next = i < source.Length ? source.AsSpan(i).IndexOfAny('[', '{') : -1;
            i = next < 0 ? -1 : i + next;
        }
    }

    private static bool StartsFlow(string source, int at)
    {
        var k = at - 1;
        while (k >= 0 && source[k] is ' ' or '\t')
        {
            k--;
        }

        return k < 0 || source[k] is ':' or '-' or ',' or '?';
    }

    /// <summary>Only %YAML and %TAG directives exist for libyaml.</summary>
    public static void Directives(string source, int from, int to, int line)
    {
        var i = from;
        while (i < to && i < source.Length)
        {
            var lineEnd = source.IndexOf('\n', i);
            if (lineEnd < 0 || lineEnd > to)
            {
                lineEnd = to;
            }

            var text = source[i..lineEnd];
            if (text.StartsWith('%') && !text.StartsWith("%YAML", StringComparison.Ordinal) && !text.StartsWith("%TAG", StringComparison.Ordinal))
            {
                throw new YamlException($"yaml: line {line}: found unknown directive name", line);
            }

            i = lineEnd + 1;
        }
    }
}
