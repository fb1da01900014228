using System.Text;

namespace Weir.Core.Yaml;

/// <summary>
/// What a folded (<c>&gt;</c>) scalar reads as in kustomize: kyaml writes each document back out with go-yaml v3 and
/// reads it again, and go-yaml v3's folded writer decides whether a line break needs doubling by looking at the
/// start of the whole value instead of the next line. A break before a more-indented line therefore gains a blank
/// line (and, when the value starts with a blank, breaks between ordinary lines fold into spaces). Values go-yaml
/// would not write folded (trailing space, space before a break, characters it escapes) are unchanged.
/// </summary>
internal static class KyamlFoldedScalar
{
    private const int Indent = 2;

    private static readonly YamlOptions Rereading = new() { Dialect = YamlDialect.Kyaml };

    /// <exception cref="YamlException">go-yaml cannot read what it wrote (a value starting with a tab).</exception>
    public static string Reread(YamlSourceNode node)
    {
        var value = node.Value;
        if (!WrittenFolded(value))
        {
            return value;
        }

        var text = "k: " + Write(value);
        try
        {
            foreach (var root in YamlDocumentReader.Read(text, firstOnly: true, Rereading))
            {
                if (root.Kind == YamlNodeKind.Mapping && root.Children.Count == 2)
                {
                    return root.Children[1].Value;
                }
            }
        }
        catch (YamlException e)
        {
            throw YamlException.At(node, $"folded scalar as kyaml writes it: {e.Message}");
        }

        return value;
    }

    /// <summary>go-yaml v3's scalar analysis: whether a folded scalar keeps its block style when written.</summary>
    private static bool WrittenFolded(string value)
    {
        if (value.Length > 0 && value[^1] == ' ')
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ' && i + 1 < value.Length && IsBreak(value[i + 1]))
            {
                return false;
            }

            if (c != '\t' && !IsPrintable(value, i))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                i++;
            }
        }

        return true;
    }

    /// <summary>The printable set of go-yaml's emitter: LF, ASCII, and the BMP above U+00A0 but surrogates, U+FEFF, U+FFFE/F.</summary>
    private static bool IsPrintable(string s, int i)
    {
        var c = s[i];
        return c == '\n' || (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF);
    }

    private static bool IsBreak(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

    private static bool IsBlank(char c) => c is ' ' or '\t';

    /// <summary>The block go-yaml v3 writes for the value as a mapping value at the document's top level.</summary>
    private static string Write(string value)
    {
        var output = new StringBuilder(">");
        if (value.Length > 0 && (value[0] == ' ' || IsBreak(value[0])))
        {
            output.Append((char)('0' + Indent));
        }

        output.Append(ChompIndicator(value));

        var firstContent = 0;
        while (firstContent < value.Length && IsBreak(value[firstContent]))
        {
            firstContent++;
        }

        // The check go-yaml meant to make for the next line, made on the value's start instead.
        var doubleBreaks = firstContent < value.Length && !IsBlank(value[firstContent]);
        var column = output.Length + 3;
        var atLineStart = false;
        var breaks = true;
        var leadingSpaces = true;
        foreach (var c in value)
        {
            if (IsBreak(c))
            {
                if (!breaks && !leadingSpaces && c == '\n' && doubleBreaks)
                {
                    output.Append('\n');
                }

                output.Append(c == '\n' ? "\n" : c);
                column = 0;
                atLineStart = true;
                breaks = true;
                continue;
            }

            if (breaks)
            {
                if (!atLineStart || column > Indent)
                {
                    output.Append('\n');
                    column = 0;
                }

                output.Append(' ', Indent - column);
                column = Indent;
                leadingSpaces = IsBlank(c);
            }

            output.Append(c);
            column++;
            atLineStart = false;
            breaks = false;
        }

        // The line break that ends the last line, unless the value's own final break did.
        if (!breaks)
        {
            output.Append('\n');
        }

        return output.ToString();
    }

    private static string ChompIndicator(string value)
    {
        if (value.Length == 0 || !IsBreak(value[^1]))
        {
            return "-";
        }

        return value.Length == 1 || IsBreak(value[^2]) ? "+" : "";
    }
}
