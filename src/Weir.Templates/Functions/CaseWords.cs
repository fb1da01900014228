using System.Globalization;
using System.Text;

namespace Weir.Templates.Functions;

/// <summary>The word splitting behind Sprig's snakecase, kebabcase and camelcase (huandu/xstrings' rules).</summary>
internal static class CaseWords
{
    private enum WordType
    {
        Invalid,
        Number,
        UpperCase,
        Alphabet,
        Connector,
        Punct,
        Other,
    }

    private static bool IsConnector(int r) => r == '-' || r == '_' || (r <= 0xFFFF && StringFunctions.IsGoSpace((char)r));

    private static bool IsUpper(int r) => Rune.IsValid(r) && Rune.IsUpper(new Rune(r));

    private static bool IsLetter(int r) => Rune.IsValid(r) && Rune.IsLetter(new Rune(r));

    private static bool IsNumber(int r) => Rune.IsValid(r) && Rune.IsNumber(new Rune(r));

    private static bool IsPunct(int r)
    {
        if (!Rune.IsValid(r))
        {
            return false;
        }

        return CharUnicodeInfo.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    private static bool IsAlphabet(int r)
    {
        if (!IsLetter(r))
        {
            return false;
        }

        if (r < 0x2E80)
        {
            return true;
        }

        return !((r >= 0x4E00 && r <= 0x9FCC) || (r >= 0x3400 && r <= 0x4D85) || (r >= 0x20000 && r <= 0x2B81D));
    }

    private static int[] Runes(string s) => s.EnumerateRunes().Select(r => r.Value).ToArray();

    private static string Str(int[] r, int from, int to)
    {
        var sb = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            sb.Append(char.ConvertFromUtf32(r[i]));
        }

        return sb.ToString();
    }

    private static int ToLower(int r) => Rune.IsValid(r) ? Rune.ToLowerInvariant(new Rune(r)).Value : r;

    private static int ToUpper(int r) => Rune.IsValid(r) ? Rune.ToUpperInvariant(new Rune(r)).Value : r;

    public static string ToCamel(string s)
    {
        if (s.Length == 0)
        {
            return "";
        }

        var r = Runes(s);
        var sb = new StringBuilder();
        var i = 0;
        var r0 = 0;
        var any = false;
        while (i < r.Length)
        {
            r0 = r[i++];
            any = true;
            if (!IsConnector(r0))
            {
                r0 = ToUpper(r0);
                break;
            }

            sb.Append(char.ConvertFromUtf32(r0));
        }

        if (i >= r.Length)
        {
            if (any)
            {
                sb.Append(char.ConvertFromUtf32(r0));
            }

            return sb.ToString();
        }

        while (i < r.Length)
        {
            var r1 = r0;
            r0 = r[i++];
            if (IsConnector(r0) && IsConnector(r1))
            {
                sb.Append(char.ConvertFromUtf32(r1));
                continue;
            }

            if (IsConnector(r1))
            {
                r0 = ToUpper(r0);
            }
            else
            {
                r0 = ToLower(r0);
                sb.Append(char.ConvertFromUtf32(r1));
            }
        }

        sb.Append(char.ConvertFromUtf32(r0));
        return sb.ToString();
    }

    private static (WordType Type, int End) NextWord(int[] r, int start)
    {
        if (start >= r.Length)
        {
            return (WordType.Invalid, start);
        }

        var i = start;
        var c = r[i];
        i++;
        if (IsConnector(c))
        {
            while (i < r.Length && IsConnector(r[i]))
            {
                i++;
            }

            return (WordType.Connector, i);
        }

        if (IsPunct(c))
        {
            while (i < r.Length && IsPunct(r[i]))
            {
                i++;
            }

            return (WordType.Punct, i);
        }

        if (IsUpper(c))
        {
            if (i >= r.Length)
            {
                return (WordType.UpperCase, i);
            }

            if (IsUpper(r[i]))
            {
                var end = i + 1;
                while (end < r.Length && IsUpper(r[end]))
                {
                    end++;
                }

                if (end < r.Length && IsAlphabet(r[end]))
                {
                    end--;
                }

                return (WordType.UpperCase, end);
            }

            if (IsAlphabet(r[i]))
            {
                i++;
                while (i < r.Length && IsAlphabet(r[i]) && !IsUpper(r[i]))
                {
                    i++;
                }
            }

            return (WordType.UpperCase, i);
        }

        if (IsAlphabet(c))
        {
            while (i < r.Length && IsAlphabet(r[i]) && !IsUpper(r[i]))
            {
                i++;
            }

            return (WordType.Alphabet, i);
        }

        if (IsNumber(c))
        {
            while (i < r.Length && IsNumber(r[i]))
            {
                i++;
            }

            return (WordType.Number, i);
        }

        while (i < r.Length && !(IsConnector(r[i]) || IsAlphabet(r[i]) || IsNumber(r[i]) || IsPunct(r[i])))
        {
            i++;
        }

        return (WordType.Other, i);
    }

    private static void Lower(StringBuilder sb, WordType wt, int[] r, int from, int to, char connector)
    {
        if (wt != WordType.UpperCase && wt != WordType.Connector)
        {
            sb.Append(Str(r, from, to));
            return;
        }

        for (var i = from; i < to; i++)
        {
            var c = r[i];
            if (IsConnector(c))
            {
                sb.Append(connector);
            }
            else if (IsUpper(c))
            {
                sb.Append(char.ConvertFromUtf32(ToLower(c)));
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(c));
            }
        }
    }

    public static string ToLowerWords(string s, char connector)
    {
        if (s.Length == 0)
        {
            return "";
        }

        var r = Runes(s);
        var sb = new StringBuilder();
        var start = 0;
        var (wt, end) = NextWord(r, start);
        while (end < r.Length)
        {
            if (wt != WordType.Connector)
            {
                Lower(sb, wt, r, start, end, connector);
            }

            var prev = wt;
            var (lastStart, lastEnd) = (start, end);
            start = end;
            (wt, end) = NextWord(r, start);
            switch (prev)
            {
                case WordType.Number:
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        Lower(sb, wt, r, start, end, connector);
                        start = end;
                        (wt, end) = NextWord(r, start);
                    }

                    if (wt != WordType.Invalid && wt != WordType.Punct && wt != WordType.Connector)
                    {
                        sb.Append(connector);
                    }

                    break;
                case WordType.Connector:
                    Lower(sb, prev, r, lastStart, lastEnd, connector);
                    break;
                case WordType.Punct:
                    break;
                default:
                    if (wt != WordType.Number)
                    {
                        if (wt != WordType.Connector && wt != WordType.Punct)
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    if (end >= r.Length)
                    {
                        break;
                    }

                    var (numStart, numEnd) = (start, end);
                    start = end;
                    (wt, end) = NextWord(r, start);
                    if (wt != WordType.Alphabet)
                    {
                        Lower(sb, WordType.Number, r, numStart, numEnd, connector);
                        if (wt != WordType.Connector && wt != WordType.Punct)
                        {
                            sb.Append(connector);
                        }

                        break;
                    }

                    sb.Append(connector);
                    Lower(sb, WordType.Number, r, numStart, numEnd, connector);
                    while (wt is WordType.Alphabet or WordType.Number)
                    {
                        Lower(sb, wt, r, start, end, connector);
                        start = end;
                        (wt, end) = NextWord(r, start);
                    }

                    if (wt != WordType.Invalid && wt != WordType.Connector && wt != WordType.Punct)
                    {
                        sb.Append(connector);
                    }

                    break;
            }
        }

        Lower(sb, wt, r, start, end, connector);
        return sb.ToString();
    }
}
