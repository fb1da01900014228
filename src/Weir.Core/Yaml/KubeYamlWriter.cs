using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Core.Yaml;

/// <summary>
/// Writes JSON as block YAML laid out the way kubectl prints it (go-yaml v2's emitter behind
/// sigs.k8s.io/yaml): 2-space indent, sequences at their key's indent, strings quoted only when a plain
/// scalar would read back as something else, multi-line strings as literal blocks, lines folded past 80 columns.
/// With <see cref="YamlOptions.GoYamlV3"/>, yaml.v3's variant of the same emitter: sequences indented under their
/// key, no folding, floats in %g form.
/// </summary>
internal sealed class KubeYamlWriter
{
    private const int BestIndent = 2;
    private const int MaxSimpleKeyLength = 128;

    private readonly StringBuilder output;
    private readonly bool sortKeys;
    private readonly bool indentlessSequences;
    private readonly int bestWidth;
    private readonly bool goFloats;
    private readonly Stack<int> indents = new();
    private int indent = -1;
    private int column;
    private bool whitespace = true;
    private bool indention = true;

    private KubeYamlWriter(StringBuilder output, YamlOptions options)
    {
        this.output = output;
        sortKeys = options.SortKeys;
        indentlessSequences = !options.GoYamlV3;
        bestWidth = options.GoYamlV3 ? int.MaxValue : 80;
        goFloats = options.GoYamlV3;
    }

    private enum Style
    {
        Plain,
        SingleQuoted,
        DoubleQuoted,
        Literal,
    }

    private enum Context
    {
        Root,
        SequenceItem,
        MappingValue,
        SimpleKey,
        ComplexKey,
    }

    /// <summary>Appends one document (without a <c>---</c> line).</summary>
    public static void WriteDocument(StringBuilder output, JsonNode? root, YamlOptions options) =>
        DeepStack.Run(() =>
        {
            var start = output.Length;
            try
            {
                var writer = new KubeYamlWriter(output, options);
                writer.Node(root, Context.Root);
                writer.WriteIndent();

                return 0;
            }
            catch
            {
                output.Length = start;
                throw;
            }
        });

    private void Node(JsonNode? node, Context context)
    {
        DeepStack.EnsureRoom();
        switch (node)
        {
            case JsonObject { Count: > 0 } obj:
                Mapping(obj);
                break;
            case JsonArray { Count: > 0 } arr:
                Sequence(arr, indentless: indentlessSequences && context == Context.MappingValue && !indention);
                break;
            case JsonObject:
                EmptyFlow("{}");
                break;
            case JsonArray:
                EmptyFlow("[]");
                break;
            case null:
                Scalar("null", Style.Plain, context);
                break;
            case JsonValue value:
                ScalarValue(value, context);
                break;
        }
    }

    private void EmptyFlow(string text)
    {
        WriteIndicator(text[..1], true, true, false);
        WriteIndicator(text[1..], false, false, false);
    }

    private void Mapping(JsonObject obj)
    {
        IncreaseIndent(flow: false, indentless: false);
        IEnumerable<KeyValuePair<string, JsonNode?>> entries = obj;
        if (sortKeys)
        {
            entries = entries.OrderBy(e => e.Key, GoKeyOrder.Instance);
        }

        foreach (var (key, value) in entries)
        {
            WriteIndent();
            if (IsSimpleKey(key))
            {
                StringScalar(key, Context.SimpleKey);
                WriteIndicator(":", false, false, false);
            }
            else
            {
                WriteIndicator("?", true, false, true);
                StringScalar(key, Context.ComplexKey);
                WriteIndent();
                WriteIndicator(":", true, false, true);
            }

            Node(value, Context.MappingValue);
        }

        PopIndent();
    }

    private static bool IsSimpleKey(string key) =>
        Encoding.UTF8.GetByteCount(key) <= MaxSimpleKeyLength && !ScalarText.Analyze(key).Multiline;

    private void Sequence(JsonArray arr, bool indentless)
    {
        IncreaseIndent(flow: false, indentless);
        foreach (var item in arr)
        {
            WriteIndent();
            WriteIndicator("-", true, false, true);
            Node(item, Context.SequenceItem);
        }

        PopIndent();
    }

    private void ScalarValue(JsonValue value, Context context)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                StringScalar(value.TryGetValue<string>(out var s) ? s : JsonSerializer.Deserialize<string>(value.ToJsonString())!, context);
                break;
            case JsonValueKind.True:
                Scalar("true", Style.Plain, context);
                break;
            case JsonValueKind.False:
                Scalar("false", Style.Plain, context);
                break;
            case JsonValueKind.Number:
                Scalar(KubeNumberText.Format(value, goFloats), Style.Plain, context);
                break;
            default:
                Scalar("null", Style.Plain, context);
                break;
        }
    }

    private void StringScalar(string s, Context context)
    {
        s = ScalarText.WithoutLoneSurrogates(s);
        // go-yaml prints a "<<" key plain, which reads back as a merge key; quoting keeps it a string.
        var canUsePlain = !ScalarResolver.ResolvesToNonString(s) && !ScalarText.IsBase60Float(s)
            && !(s == "<<" && context is Context.SimpleKey or Context.ComplexKey);
        var style = s.Contains('\n', StringComparison.Ordinal) ? Style.Literal
            : canUsePlain ? Style.Plain
            : Style.DoubleQuoted;
        Scalar(s, style, context);
    }

    private void Scalar(string value, Style requested, Context context)
    {
        var analysis = ScalarText.Analyze(value);
        var simpleKey = context == Context.SimpleKey;
        var style = requested;
        if (simpleKey && analysis.Multiline)
        {
            style = Style.DoubleQuoted;
        }

        if (style == Style.Plain && (!analysis.BlockPlainAllowed || (value.Length == 0 && simpleKey)))
        {
            style = Style.SingleQuoted;
        }

        if (style == Style.SingleQuoted && !analysis.SingleQuotedAllowed)
        {
            style = Style.DoubleQuoted;
        }

        if (style == Style.Literal && (!analysis.BlockAllowed || simpleKey))
        {
            style = Style.DoubleQuoted;
        }

        IncreaseIndent(flow: true, indentless: false);
        var allowBreaks = !simpleKey;
        switch (style)
        {
            case Style.Plain:
                WritePlain(value, allowBreaks);
                break;
            case Style.SingleQuoted:
                WriteSingleQuoted(value, allowBreaks);
                break;
            case Style.DoubleQuoted:
                WriteDoubleQuoted(value, allowBreaks);
                break;
            default:
                WriteLiteral(value);
                break;
        }

        PopIndent();
    }

    private void IncreaseIndent(bool flow, bool indentless)
    {
        indents.Push(indent);
        if (indent < 0)
        {
            indent = flow ? BestIndent : 0;
        }
        else if (!indentless)
        {
            indent += BestIndent;
        }
    }

    private void PopIndent() => indent = indents.Pop();

    private void Put(char c)
    {
        output.Append(c);
        column++;
    }

    private void PutBreak()
    {
        output.Append('\n');
        column = 0;
    }

    private void WriteIndent()
    {
        var target = Math.Max(indent, 0);
        if (!indention || column > target || (column == target && !whitespace))
        {
            PutBreak();
        }

        while (column < target)
        {
            Put(' ');
        }

        whitespace = true;
        indention = true;
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool isWhitespace, bool isIndention)
    {
        if (needWhitespace && !whitespace)
        {
            Put(' ');
        }

        foreach (var c in indicator)
        {
            Put(c);
        }

        whitespace = isWhitespace;
        indention = indention && isIndention;
    }

    private void WritePlain(string value, bool allowBreaks)
    {
        if (!whitespace)
        {
            Put(' ');
        }

        var spaces = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ')
            {
                if (allowBreaks && !spaces && column > bestWidth && !(i + 1 < value.Length && value[i + 1] == ' '))
                {
                    WriteIndent();
                }
                else
                {
                    Put(c);
                }

                spaces = true;
            }
            else
            {
                PutText(value, ref i);
                indention = false;
                spaces = false;
            }
        }

        whitespace = false;
        indention = false;
    }

    private void WriteSingleQuoted(string value, bool allowBreaks)
    {
        WriteIndicator("'", true, false, false);
        var spaces = false;
        var breaks = false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ')
            {
                if (allowBreaks && !spaces && column > bestWidth && i > 0 && i < value.Length - 1 && value[i + 1] != ' ')
                {
                    WriteIndent();
                }
                else
                {
                    Put(c);
                }

                spaces = true;
            }
            else if (ScalarText.IsBreak(ScalarText.RuneAt(value, i)))
            {
                if (!breaks && c == '\n')
                {
                    PutBreak();
                }

                WriteBreak(c);
                indention = true;
                breaks = true;
            }
            else
            {
                if (breaks)
                {
                    WriteIndent();
                }

                if (c == '\'')
                {
                    Put('\'');
                }

                PutText(value, ref i);
                indention = false;
                spaces = false;
                breaks = false;
            }
        }

        WriteIndicator("'", false, false, false);
        whitespace = false;
        indention = false;
    }

    /// <summary>A line break inside a scalar: a newline, or the break character itself for CR, NEL, LS and PS.</summary>
    private void WriteBreak(char c)
    {
        if (c == '\n')
        {
            PutBreak();
        }
        else
        {
            output.Append(c);
            column = 0;
        }
    }

    private void WriteDoubleQuoted(string value, bool allowBreaks)
    {
        WriteIndicator("\"", true, false, false);
        var spaces = false;

        // go-yaml's BOM test looks at the start of the value rather than the current character,
        // so a value that starts with a BOM is escaped character by character.
        var escapeAll = value.Length > 0 && value[0] == '\uFEFF';
        for (var i = 0; i < value.Length; i++)
        {
            var rune = ScalarText.RuneAt(value, i);
            var c = value[i];
            if (escapeAll || !ScalarText.IsPrintable(rune) || ScalarText.IsBreak(rune) || c == '"' || c == '\\')
            {
                Put('\\');
                WriteEscape(rune);
                i += rune.Utf16SequenceLength - 1;
                spaces = false;
            }
            else if (c == ' ')
            {
                if (allowBreaks && !spaces && column > bestWidth && i > 0 && i < value.Length - 1)
                {
                    WriteIndent();
                    if (value[i + 1] == ' ')
                    {
                        Put('\\');
                    }
                }
                else
                {
                    Put(c);
                }

                spaces = true;
            }
            else
            {
                PutText(value, ref i);
                spaces = false;
            }
        }

        WriteIndicator("\"", false, false, false);
        whitespace = false;
        indention = false;
    }

    private void WriteEscape(Rune rune)
    {
        var v = rune.Value;
        var simple = v switch
        {
            0x00 => '0',
            0x07 => 'a',
            0x08 => 'b',
            0x09 => 't',
            0x0A => 'n',
            0x0B => 'v',
            0x0C => 'f',
            0x0D => 'r',
            0x1B => 'e',
            0x22 => '"',
            0x5C => '\\',
            0x85 => 'N',
            0xA0 => '_',
            0x2028 => 'L',
            0x2029 => 'P',
            _ => '\0',
        };
        if (simple != '\0')
        {
            Put(simple);
            return;
        }

        var (letter, width) = v <= 0xFF ? ('x', 2) : v <= 0xFFFF ? ('u', 4) : ('U', 8);
        Put(letter);
        foreach (var digit in v.ToString("X" + width, CultureInfo.InvariantCulture))
        {
            Put(digit);
        }
    }

    private void WriteLiteral(string value)
    {
        WriteIndicator("|", true, false, false);
        if (value.Length > 0 && (value[0] == ' ' || ScalarText.IsBreak(ScalarText.RuneAt(value, 0))))
        {
            WriteIndicator(((char)('0' + BestIndent)).ToString(), false, false, false);
        }

        var chomp = ChompHint(value);
        if (chomp.Length > 0)
        {
            WriteIndicator(chomp, false, false, false);
        }

        PutBreak();
        indention = true;
        whitespace = true;
        var breaks = true;
        for (var i = 0; i < value.Length; i++)
        {
            if (ScalarText.IsBreak(ScalarText.RuneAt(value, i)))
            {
                WriteBreak(value[i]);
                indention = true;
                breaks = true;
            }
            else
            {
                if (breaks)
                {
                    WriteIndent();
                }

                PutText(value, ref i);
                indention = false;
                breaks = false;
            }
        }
    }

    private static string ChompHint(string value)
    {
        if (value.Length == 0 || value[^1] != '\n')
        {
            return "-";
        }

        return value.Length == 1 || value[^2] == '\n' ? "+" : "";
    }

    /// <summary>Writes one character (a whole surrogate pair counts as one column, as Go counts runes).</summary>
    private void PutText(string value, ref int i)
    {
        output.Append(value[i]);
        if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length)
        {
            output.Append(value[++i]);
        }

        column++;
    }
}
