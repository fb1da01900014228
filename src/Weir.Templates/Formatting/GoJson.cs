using System.Globalization;
using System.Text;
using Weir.Templates.Values;

namespace Weir.Templates.Formatting;

/// <summary>Go's encoding/json Marshal (and MarshalIndent) over template values: sorted map keys, Go's number and string forms.</summary>
public static class GoJson
{
    public static string Marshal(in Value v, bool escapeHtml = true, string? indent = null)
    {
        var sb = new StringBuilder();
        Write(sb, v, escapeHtml, indent, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string indent, int depth)
    {
        sb.Append('\n');
        for (var i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }

    private static void Write(StringBuilder sb, in Value v, bool escapeHtml, string? indent, int depth)
    {
        if (depth > 10_000)
        {
            throw new TemplateFunctionException("json: unsupported value: encountered a cycle");
        }

        switch (v.Ref)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                WriteString(sb, s, escapeHtml);
                return;
            case GoType t when ReferenceEquals(t, GoType.Duration):
                sb.Append(v.Bits);
                return;
            case GoType t:
                if (t.Kind == GoKind.Bool)
                {
                    sb.Append(v.Bits != 0 ? "true" : "false");
                }
                else if (t.IsSigned)
                {
                    sb.Append(v.Bits);
                }
                else if (t.IsUnsigned)
                {
                    sb.Append(v.RawUInt);
                }
                else
                {
                    WriteFloat(sb, v.AsFloat, t.Kind == GoKind.Float32 ? 32 : 64);
                }

                return;
            case GoMap { IsNil: true }:
                sb.Append("null");
                return;
            case GoMap m:
                if (m.Count == 0)
                {
                    sb.Append("{}");
                    return;
                }

                sb.Append('{');
                var first = true;
                foreach (var k in m.SortedKeys())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    if (indent is not null)
                    {
                        NewLine(sb, indent, depth + 1);
                    }

                    WriteString(sb, k, escapeHtml);
                    sb.Append(indent is null ? ":" : ": ");
                    m.TryGet(k, out var e);
                    Write(sb, e, escapeHtml, indent, depth + 1);
                }

                if (indent is not null)
                {
                    NewLine(sb, indent, depth);
                }

                sb.Append('}');
                return;
            case GoList l:
                if (l.Count == 0)
                {
                    sb.Append("[]");
                    return;
                }

                sb.Append('[');
                for (var i = 0; i < l.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (indent is not null)
                    {
                        NewLine(sb, indent, depth + 1);
                    }

                    Write(sb, l[i], escapeHtml, indent, depth + 1);
                }

                if (indent is not null)
                {
                    NewLine(sb, indent, depth);
                }

                sb.Append(']');
                return;
            case GoObject o:
                if (o is IJsonMarshaler jm)
                {
                    sb.Append(jm.MarshalJson());
                    return;
                }

                var fields = new GoMap();
                foreach (var f in o.Fields)
                {
                    fields.Set(f.Key, f.Value);
                }

                // Struct fields keep declaration order.
                sb.Append('{');
                for (var i = 0; i < o.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    if (indent is not null)
                    {
                        NewLine(sb, indent, depth + 1);
                    }

                    WriteString(sb, o.Fields[i].Key, escapeHtml);
                    sb.Append(indent is null ? ":" : ": ");
                    Write(sb, o.Fields[i].Value, escapeHtml, indent, depth + 1);
                }

                if (indent is not null && o.Fields.Count > 0)
                {
                    NewLine(sb, indent, depth);
                }

                sb.Append('}');
                return;
            case GoComplex:
                throw new TemplateFunctionException("json: unsupported type: complex128");
            default:
                sb.Append("null");
                return;
        }
    }

    private static void WriteFloat(StringBuilder sb, double f, int bits)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            throw new TemplateFunctionException("json: unsupported value: " + GoFloatFormat.FormatShortest(f));
        }

        var abs = Math.Abs(f);
        var fmt = 'f';
        if (abs != 0 && ((bits == 64 && (abs < 1e-6 || abs >= 1e21)) || (bits == 32 && (abs < 1e-6f || abs >= 1e21f))))
        {
            fmt = 'e';
        }

        var text = GoFloatFormat.Format(f, fmt, -1, bits);
        if (fmt == 'e')
        {
            var n = text.Length;
            if (n >= 4 && text[n - 4] == 'e' && text[n - 3] == '-' && text[n - 2] == '0')
            {
                text = text[..(n - 2)] + text[n - 1];
            }
        }

        sb.Append(text);
    }

    public static void WriteString(StringBuilder sb, string s, bool escapeHtml)
    {
        sb.Append('"');
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append(@"\\");
                    break;
                case '\n':
                    sb.Append(@"\n");
                    break;
                case '\r':
                    sb.Append(@"\r");
                    break;
                case '\t':
                    sb.Append(@"\t");
                    break;
                case '<' or '>' or '&' when escapeHtml:
                    sb.Append(@"\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                case '\u2028':
                    sb.Append(@"\u2028");
                    break;
                case '\u2029':
                    sb.Append(@"\u2029");
                    break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append(@"\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else if (Utf8.IsRawByte(s, i, out _))
                    {
                        // encoding/json replaces bytes that are not UTF-8.
                        sb.Append(@"\ufffd");
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}

/// <summary>A Go type with its own MarshalJSON (time.Time, *semver.Version).</summary>
public interface IJsonMarshaler
{
    string MarshalJson();
}
