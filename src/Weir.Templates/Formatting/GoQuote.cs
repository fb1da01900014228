using System.Globalization;
using System.Text;
using Weir.Templates.Values;

namespace Weir.Templates.Formatting;

/// <summary>Go's strconv quoting: Quote, QuoteToASCII, QuoteRune, CanBackquote, and unicode.IsPrint.</summary>
public static class GoQuote
{
    private const string HexDigits = "0123456789abcdef";

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s, '"', asciiOnly: false);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s, char quote, bool asciiOnly)
    {
        sb.Append(quote);
        for (var i = 0; i < s.Length;)
        {
            int r;
            if (char.IsSurrogate(s[i]))
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    r = char.ConvertToUtf32(s[i], s[i + 1]);
                    i += 2;
                }
                else if (Utf8.IsRawByte(s, i, out var raw))
                {
                    // strconv.Quote writes a byte that is not UTF-8 as \xNN.
                    sb.Append(@"\x").Append(raw.ToString("x2", CultureInfo.InvariantCulture));
                    i++;
                    continue;
                }
                else
                {
                    r = 0xFFFD;
                    i++;
                }
            }
            else
            {
                r = s[i];
                i++;
            }

            AppendEscapedRune(sb, r, quote, asciiOnly);
        }

        sb.Append(quote);
    }

    public static void AppendEscapedRune(StringBuilder sb, int r, char quote, bool asciiOnly)
    {
        if (r == quote || r == '\\')
        {
            sb.Append('\\').Append((char)r);
            return;
        }

        if (asciiOnly)
        {
            if (r < 0x80 && IsPrint(r))
            {
                sb.Append((char)r);
                return;
            }
        }
        else if (IsPrint(r))
        {
            AppendRune(sb, r);
            return;
        }

        switch (r)
        {
            case 7:
                sb.Append("\\a");
                return;
            case 8:
                sb.Append("\\b");
                return;
            case 12:
                sb.Append("\\f");
                return;
            case 10:
                sb.Append("\\n");
                return;
            case 13:
                sb.Append("\\r");
                return;
            case 9:
                sb.Append("\\t");
                return;
            case 11:
                sb.Append("\\v");
                return;
        }

        if (r < ' ' || r == 0x7F)
        {
            sb.Append("\\x").Append(HexDigits[r >> 4]).Append(HexDigits[r & 0xF]);
        }
        else if (r < 0x10000)
        {
            sb.Append("\\u");
            for (var s = 12; s >= 0; s -= 4)
            {
                sb.Append(HexDigits[(r >> s) & 0xF]);
            }
        }
        else
        {
            sb.Append("\\U");
            for (var s = 28; s >= 0; s -= 4)
            {
                sb.Append(HexDigits[(r >> s) & 0xF]);
            }
        }
    }

    public static void AppendRune(StringBuilder sb, int r)
    {
        if (r < 0x10000)
        {
            sb.Append((char)r);
        }
        else
        {
            sb.Append(char.ConvertFromUtf32(r));
        }
    }

    public static string QuoteRune(int r, bool asciiOnly)
    {
        if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000))
        {
            r = 0xFFFD;
        }

        var sb = new StringBuilder();
        sb.Append('\'');
        AppendEscapedRune(sb, r, '\'', asciiOnly);
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>Go's unicode.IsPrint / strconv.IsPrint: letters, marks, numbers, punctuation, symbols and ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r < 0x80)
        {
            return r >= 0x20 && r < 0x7F;
        }

        if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000))
        {
            return false;
        }

        var cat = CharUnicodeInfo.GetUnicodeCategory(r);
        return cat switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.NonSpacingMark
                or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.ConnectorPunctuation
                or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol
                or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }

    /// <summary>strconv.CanBackquote.</summary>
    public static bool CanBackquote(string s)
    {
        foreach (var c in s)
        {
            if (c == '`' || c == '\uFEFF')
            {
                return false;
            }

            if (c < ' ' && c != '\t')
            {
                return false;
            }

            if (c == 0x7F)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>fmt's %#U form, e.g. <c>U+0029 ')'</c>.</summary>
    public static string UnicodeName(int r)
    {
        if (r < 0)
        {
            return "U+FFFFFFFFFFFFFFFF";
        }

        var hex = r.ToString("X4", CultureInfo.InvariantCulture);
        return IsPrint(r) ? $"U+{hex} '{char.ConvertFromUtf32(r)}'" : $"U+{hex}";
    }
}
