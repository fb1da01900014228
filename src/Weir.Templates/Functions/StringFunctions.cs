using System.Globalization;
using System.Text;
using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's string functions (strings.go, goutils and xstrings helpers).</summary>
internal static class StringFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("hello", [], static (_, _) => Value.String("Hello!"));
        b.Add("abbrev", [Int, Str], static (_, a) => Value.String(a[0].RawInt < 4 ? a[1].AsString : Abbreviate(a[1].AsString, 0, (int)a[0].RawInt)));
        b.Add("abbrevboth", [Int, Int, Str], static (_, a) =>
        {
            long left = a[0].RawInt, right = a[1].RawInt;
            var s = a[2].AsString;
            return Value.String(right < 4 || (left > 0 && right < 7) ? s : Abbreviate(s, (int)left, (int)right));
        });
        b.Add("trunc", [Int, Str], static (_, a) => Value.String(Trunc(a[0].RawInt, a[1].AsString)));
        b.Add("trim", [Str], static (_, a) => Value.String(TrimGoSpace(a[0].AsString)));
        b.Add("upper", [Str], static (_, a) => Value.String(a[0].AsString.ToUpperInvariant()));
        b.Add("lower", [Str], static (_, a) => Value.String(a[0].AsString.ToLowerInvariant()));
        b.Add("title", [Str], static (_, a) => Value.String(Title(a[0].AsString)));
        b.Add("untitle", [Str], static (_, a) => Value.String(Untitle(a[0].AsString)));
        b.Add("substr", [Int, Int, Str], static (_, a) => Value.String(Substr(a[0].RawInt, a[1].RawInt, a[2].AsString)));
        b.Add("repeat", [Int, Str], static (c, a) =>
        {
            var count = a[0].RawInt;
            var s = a[1].AsString;
            if (count < 0)
            {
                throw new TemplateFunctionException("strings: negative Repeat count");
            }

            c.CheckStringSize(count * s.Length);
            return Value.String(count == 0 || s.Length == 0 ? "" : new StringBuilder(s.Length * (int)count).Insert(0, s, (int)count).ToString());
        });
        b.Add("trimall", [Str, Str], static (_, a) => Value.String(TrimSet(a[1].AsString, a[0].AsString)));
        b.Add("trimAll", [Str, Str], static (_, a) => Value.String(TrimSet(a[1].AsString, a[0].AsString)));
        b.Add("trimSuffix", [Str, Str], static (_, a) => Value.String(a[1].AsString.EndsWith(a[0].AsString, StringComparison.Ordinal) ? a[1].AsString[..^a[0].AsString.Length] : a[1].AsString));
        b.Add("trimPrefix", [Str, Str], static (_, a) => Value.String(a[1].AsString.StartsWith(a[0].AsString, StringComparison.Ordinal) ? a[1].AsString[a[0].AsString.Length..] : a[1].AsString));
        b.Add("nospace", [Str], static (_, a) => Value.String(ByteWise(a[0].AsString, keep: static c => !IsLatin1Space(c))));
        b.Add("initials", [Str], static (_, a) => Value.String(Initials(a[0].AsString)));
        b.Add("randAlphaNum", [Int], static (c, a) => Value.String(RandomString(c, a[0].RawInt, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")));
        b.Add("randAlpha", [Int], static (c, a) => Value.String(RandomString(c, a[0].RawInt, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")));
        b.Add("randAscii", [Int], static (c, a) => Value.String(RandomString(c, a[0].RawInt, Ascii)));
        b.Add("randNumeric", [Int], static (c, a) => Value.String(RandomString(c, a[0].RawInt, "0123456789")));
        b.Add("swapcase", [Str], static (_, a) => Value.String(SwapCase(a[0].AsString)));
        b.Add("shuffle", [Str], static (c, a) => Value.String(Shuffle(c, a[0].AsString)));
        b.Add("snakecase", [Str], static (_, a) => Value.String(CaseWords.ToLowerWords(a[0].AsString, '_')));
        b.Add("camelcase", [Str], static (_, a) => Value.String(CaseWords.ToCamel(a[0].AsString)));
        b.Add("kebabcase", [Str], static (_, a) => Value.String(CaseWords.ToLowerWords(a[0].AsString, '-')));
        b.Add("wrap", [Int, Str], static (_, a) => Value.String(WrapCustom(a[1].AsString, (int)a[0].RawInt, "", false)));
        b.Add("wrapWith", [Int, Str, Str], static (_, a) => Value.String(WrapCustom(a[2].AsString, (int)a[0].RawInt, a[1].AsString, true)));
        b.Add("contains", [Str, Str], static (_, a) => Value.Bool(a[1].AsString.Contains(a[0].AsString, StringComparison.Ordinal)));
        b.Add("hasPrefix", [Str, Str], static (_, a) => Value.Bool(a[1].AsString.StartsWith(a[0].AsString, StringComparison.Ordinal)));
        b.Add("hasSuffix", [Str, Str], static (_, a) => Value.Bool(a[1].AsString.EndsWith(a[0].AsString, StringComparison.Ordinal)));
        b.Variadic("quote", [Any], static (_, a) => Value.String(JoinPresent(a, static (sb, v) => GoQuote.AppendQuoted(sb, StrVal(v), '"', asciiOnly: false))));
        b.Variadic("squote", [Any], static (_, a) => Value.String(JoinPresent(a, static (sb, v) =>
        {
            sb.Append('\'');
            GoFmt.AppendValue(sb, v);
            sb.Append('\'');
        })));
        b.Variadic("cat", [Any], static (_, a) => Value.String(JoinPresent(a, static (sb, v) => GoFmt.AppendValue(sb, v))));
        b.Add("indent", [Int, Str], static (c, a) => Value.String(Indent(c, a[0].RawInt, a[1].AsString)));
        b.Add("nindent", [Int, Str], static (c, a) => Value.String("\n" + Indent(c, a[0].RawInt, a[1].AsString)));
        b.Add("replace", [Str, Str, Str], static (c, a) =>
        {
            var (old, @new, src) = (a[0].AsString, a[1].AsString, a[2].AsString);
            if (old.Length == 0)
            {
                c.CheckStringSize((long)(src.Length + 1) * (@new.Length + 1) + src.Length);
                return Value.String(ReplaceEmpty(src, @new));
            }

            return Value.String(src.Replace(old, @new, StringComparison.Ordinal));
        });
        b.Add("plural", [Str, Str, Int], static (_, a) => Value.String(a[2].RawInt == 1 ? a[0].AsString : a[1].AsString));
        b.Add("toString", [Any], static (_, a) => Value.String(StrVal(a[0])));
        b.Add("atoi", [Str], static (_, a) => Value.Int(GoStrconvDecimal(a[0].AsString)));
        b.Add("split", [Str, Str], static (_, a) => Split(a[0].AsString, a[1].AsString, -1));
        b.Add("splitList", [Str, Str], static (_, a) => Strings(GoSplit(a[1].AsString, a[0].AsString, -1)));
        b.Add("splitn", [Str, Int, Str], static (_, a) => Split(a[0].AsString, a[2].AsString, a[1].RawInt));
        b.Add("toStrings", [Any], static (_, a) => Strings(StrSlice(a[0])));
        b.Add("join", [Str, Any], static (_, a) => Value.String(string.Join(a[0].AsString, StrSlice(a[1]))));
        b.Add("sortAlpha", [Any], static (_, a) =>
        {
            if (a[0].Ref is not GoList)
            {
                return Strings([StrVal(a[0])]);
            }

            var items = StrSlice(a[0]);
            items.Sort(GoStringOrder.Instance);
            return Strings(items);
        });
        return b.Functions;
    }

    private const string Ascii = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    private static long GoStrconvDecimal(string s)
    {
        // strconv.Atoi: optional sign, decimal digits only; failures give 0.
        if (s.Length == 0)
        {
            return 0;
        }

        var body = s[0] is '+' or '-' ? s[1..] : s;
        if (body.Length == 0 || !body.All(char.IsAsciiDigit))
        {
            return 0;
        }

        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    internal static string TrimGoSpace(string s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsGoSpace(s[start]))
        {
            start++;
        }

        while (end > start && IsGoSpace(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    /// <summary>unicode.IsSpace.</summary>
    internal static bool IsGoSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\u0085' or '\u00A0' || (c > 0xFF && char.IsWhiteSpace(c));

    private static bool IsLatin1Space(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or 0x85 or 0xA0;

    // quote, squote and cat: every argument that is not nil, space-separated.
    private static string JoinPresent(ReadOnlySpan<Value> args, Action<StringBuilder, Value> append)
    {
        var sb = new StringBuilder();
        foreach (var v in args)
        {
            if (v.IsNothing)
            {
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            append(sb, v);
        }

        return sb.ToString();
    }

    private static string TrimSet(string s, string cutset)
    {
        return cutset.Length == 0 ? s : s.Trim(cutset.ToCharArray());
    }

    /// <summary>goutils iterates bytes and treats each as a rune; non-ASCII text comes out byte by byte as Latin-1, as in Go.</summary>
    private static string ByteWise(string s, Func<int, bool> keep)
    {
        var bytes = Utf8.Bytes(s);
        var sb = new StringBuilder(bytes.Length);
        var kept = 0;
        foreach (var b in bytes)
        {
            if (keep(b))
            {
                sb.Append((char)b);
                kept++;
            }
        }

        return kept == bytes.Length ? s : sb.ToString();
    }

    private static string Initials(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }

        var sb = new StringBuilder();
        var lastWasGap = true;
        foreach (var b in Utf8.Bytes(s))
        {
            if (IsLatin1Space(b))
            {
                lastWasGap = true;
            }
            else if (lastWasGap)
            {
                sb.Append((char)b);
                lastWasGap = false;
            }
        }

        return sb.ToString();
    }

    private static string Abbreviate(string str, int offset, int maxWidth)
    {
        if (str.Length == 0)
        {
            return "";
        }

        var len = Utf8.ByteCount(str);
        if (maxWidth < 4)
        {
            return "";
        }

        if (len <= maxWidth)
        {
            return str;
        }

        if (offset > len)
        {
            offset = len;
        }

        if (len - offset < maxWidth - 3)
        {
            offset = len - (maxWidth - 3);
        }

        const string marker = "...";
        if (offset <= 4)
        {
            return Utf8.Slice(str, 0, maxWidth - 3) + marker;
        }

        if (maxWidth < 7)
        {
            return "";
        }

        if (offset + maxWidth - 3 < len)
        {
            return marker + Abbreviate(Utf8.Slice(str, offset, len), 0, maxWidth - 3);
        }

        return marker + Utf8.Slice(str, len - (maxWidth - 3), len);
    }

    private static string Trunc(long c, string s)
    {
        var len = Utf8.ByteCount(s);
        if (c < 0 && len + c > 0)
        {
            return Utf8.Slice(s, (int)(len + c), len);
        }

        if (c >= 0 && len > c)
        {
            return Utf8.Slice(s, 0, (int)c);
        }

        return s;
    }

    private static string Substr(long start, long end, string s)
    {
        var len = Utf8.ByteCount(s);
        if (start < 0)
        {
            if (end < 0 || end > len)
            {
                throw new TemplateFunctionException($"runtime error: slice bounds out of range [:{end}] with length {len}");
            }

            return Utf8.Slice(s, 0, (int)end);
        }

        if (end < 0 || end > len)
        {
            if (start > len)
            {
                throw new TemplateFunctionException($"runtime error: slice bounds out of range [{start}:{len}]");
            }

            return Utf8.Slice(s, (int)start, len);
        }

        if (start > end)
        {
            throw new TemplateFunctionException($"runtime error: slice bounds out of range [{start}:{end}]");
        }

        return Utf8.Slice(s, (int)start, (int)end);
    }

    /// <summary>strings.Title: the first letter of each word upper-cased (title case), words split by non-letters.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prev = ' ';
        foreach (var c in s)
        {
            if (IsSeparator(prev))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
            else
            {
                sb.Append(c);
            }

            prev = c;
        }

        return sb.ToString();
    }

    private static bool IsSeparator(char r)
    {
        if (r <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit(r) || r == '_');
        }

        if (char.IsLetter(r) || char.IsDigit(r))
        {
            return false;
        }

        return char.IsWhiteSpace(r);
    }

    private static string Untitle(string s)
    {
        if (s.Length == 0)
        {
            return s;
        }

        var chars = s.ToCharArray();
        var next = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (IsGoSpace(chars[i]))
            {
                next = true;
            }
            else if (next)
            {
                chars[i] = char.ToLowerInvariant(chars[i]);
                next = false;
            }
        }

        return new string(chars);
    }

    private static string SwapCase(string s)
    {
        var chars = s.ToCharArray();
        var whitespace = true;
        for (var i = 0; i < chars.Length; i++)
        {
            var ch = chars[i];
            if (char.IsUpper(ch))
            {
                chars[i] = char.ToLowerInvariant(ch);
                whitespace = false;
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.TitlecaseLetter)
            {
                chars[i] = char.ToLowerInvariant(ch);
                whitespace = false;
            }
            else if (char.IsLower(ch))
            {
                chars[i] = char.ToUpperInvariant(ch);
                if (whitespace)
                {
                    whitespace = false;
                }
            }
            else
            {
                whitespace = IsGoSpace(ch);
            }
        }

        return new string(chars);
    }

    private static string Shuffle(ExecutionContext c, string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        var random = c.Options.Random;
        for (var i = runes.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (runes[i], runes[j]) = (runes[j], runes[i]);
        }

        var sb = new StringBuilder(s.Length);
        foreach (var r in runes)
        {
            sb.Append(r.ToString());
        }

        return sb.ToString();
    }

    private static string RandomString(ExecutionContext c, long count, string alphabet)
    {
        if (count < 0)
        {
            return "";
        }

        c.CheckStringSize(count);
        var random = c.Options.Random;
        var chars = new char[count];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }

    private static string WrapCustom(string str, int wrapLength, string newLine, bool wrapLongWords)
    {
        if (str.Length == 0)
        {
            return "";
        }

        if (newLine.Length == 0)
        {
            newLine = "\n";
        }

        if (wrapLength < 1)
        {
            wrapLength = 1;
        }

        // goutils works on bytes; ASCII text (the common case) maps one to one.
        var bytes = Utf8.Bytes(str);
        var input = bytes.Length;
        var offset = 0;
        var sb = new List<byte>(bytes.Length + 16);
        var nl = Utf8.Bytes(newLine);
        while (input - offset > wrapLength)
        {
            if (bytes[offset] == ' ')
            {
                offset++;
                continue;
            }

            var end = Math.Min(wrapLength + offset + 1, input);
            var spaceToWrapAt = LastIndexOf(bytes, offset, end, (byte)' ');
            if (spaceToWrapAt >= offset)
            {
                sb.AddRange(bytes[offset..spaceToWrapAt]);
                sb.AddRange(nl);
                offset = spaceToWrapAt + 1;
            }
            else if (wrapLongWords)
            {
                var e = wrapLength + offset;
                sb.AddRange(bytes[offset..e]);
                sb.AddRange(nl);
                offset += wrapLength;
            }
            else
            {
                var e = wrapLength + offset;
                var index = Array.IndexOf(bytes, (byte)' ', e);
                if (index == -1)
                {
                    sb.AddRange(bytes[offset..]);
                    offset = input;
                }
                else
                {
                    sb.AddRange(bytes[offset..index]);
                    sb.AddRange(nl);
                    offset = index + 1;
                }
            }
        }

        sb.AddRange(bytes[offset..]);
        return Utf8.Decode(sb.ToArray());
    }

    private static int LastIndexOf(byte[] b, int from, int to, byte c)
    {
        for (var i = to - 1; i >= from; i--)
        {
            if (b[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Indent(ExecutionContext c, long spaces, string v)
    {
        if (spaces < 0)
        {
            throw new TemplateFunctionException("strings: negative Repeat count");
        }

        var lines = 1;
        foreach (var ch in v)
        {
            if (ch == '\n')
            {
                lines++;
            }
        }

        c.CheckStringSize(v.Length + (lines * spaces));
        var pad = new string(' ', (int)spaces);
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static string ReplaceEmpty(string src, string @new)
    {
        // strings.Replace with an empty old string inserts before every rune and at the end.
        var sb = new StringBuilder();
        sb.Append(@new);
        foreach (var r in src.EnumerateRunes())
        {
            sb.Append(r.ToString()).Append(@new);
        }

        return sb.ToString();
    }

    /// <summary>strings.SplitN.</summary>
    internal static List<string> GoSplit(string s, string sep, long n)
    {
        var result = new List<string>();
        if (n == 0)
        {
            return result;
        }

        if (sep.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                var head = runes.Take((int)n - 1).ToList();
                head.Add(string.Concat(runes.Skip((int)n - 1)));
                return head;
            }

            return runes;
        }

        var start = 0;
        while (n < 0 || result.Count < n - 1)
        {
            var i = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }

            result.Add(s[start..i]);
            start = i + sep.Length;
        }

        result.Add(s[start..]);
        return result;
    }

    private static Value Split(string sep, string orig, long n)
    {
        var parts = GoSplit(orig, sep, n);
        var map = new GoMap(GoType.StringMap, parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            map.Set("_" + i.ToString(CultureInfo.InvariantCulture), Value.String(parts[i]));
        }

        return Value.Map(map);
    }
}
