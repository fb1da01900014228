using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Core.Yaml;

/// <summary>Character classes and the presentation analysis of go-yaml's emitter (block context).</summary>
internal static partial class ScalarText
{
    public static Rune RuneAt(string value, int i) =>
        Rune.TryGetRuneAt(value, i, out var rune) ? rune : Rune.ReplacementChar;

    /// <summary>A lone surrogate cannot be written as UTF-8; Go's JSON encoding turns it into U+FFFD too.</summary>
    public static string WithoutLoneSurrogates(string s)
    {
        if (!s.Any(char.IsSurrogate))
        {
            return s;
        }

        var sb = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(rune.ToString());
        }

        return sb.ToString();
    }

    public static bool IsBreak(Rune r) => r.Value is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

    public static bool IsPrintable(Rune r) => r.Value switch
    {
        0x0A => true,
        >= 0x20 and <= 0x7E => true,
        >= 0xA0 and <= 0xD7FF => true,
        >= 0xE000 and <= 0xFFFD => r.Value != 0xFEFF,
        _ => false,
    };

    public static bool IsBase60Float(string s) =>
        s.Contains(':', StringComparison.Ordinal) && Base60Float().IsMatch(s);

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Base60Float();

    public readonly record struct ScalarAnalysis(bool Multiline, bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed);

    /// <summary>Which presentation styles can carry this text unchanged (go-yaml's emitter rules, block context).</summary>
    public static ScalarAnalysis Analyze(string value)
    {
        if (value.Length == 0)
        {
            return new ScalarAnalysis(false, true, true, false);
        }

        bool blockIndicators = value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal);
        bool lineBreaks = false, special = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
        var precededByWhitespace = true;
        var runes = value.EnumerateRunes().ToArray();
        for (var i = 0; i < runes.Length; i++)
        {
            var r = runes[i];
            var followedByWhitespace = i + 1 >= runes.Length || runes[i + 1].Value is ' ' or '\t' || IsBreak(runes[i + 1]);
            var c = r.Value;
            if (i == 0)
            {
                switch (c)
                {
                    case '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                        blockIndicators = true;
                        break;
                    case '?' or ':' or '-' when followedByWhitespace:
                        blockIndicators = true;
                        break;
                }
            }
            else if ((c == ':' && followedByWhitespace) || (c == '#' && precededByWhitespace))
            {
                blockIndicators = true;
            }

            if (!IsPrintable(r))
            {
                special = true;
            }

            if (c == ' ')
            {
                leadingSpace |= i == 0;
                trailingSpace |= i == runes.Length - 1;
                breakSpace |= previousBreak;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(r))
            {
                lineBreaks = true;
                leadingBreak |= i == 0;
                trailingBreak |= i == runes.Length - 1;
                spaceBreak |= previousSpace;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }

            precededByWhitespace = c is ' ' or '\t' || IsBreak(r);
        }

        bool blockPlain = true, singleQuoted = true, block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak)
        {
            blockPlain = false;
        }

        if (trailingSpace)
        {
            block = false;
        }

        if (breakSpace)
        {
            blockPlain = false;
            singleQuoted = false;
        }

        if (spaceBreak || special)
        {
            blockPlain = false;
            singleQuoted = false;
            block = false;
        }

        if (lineBreaks || blockIndicators)
        {
            blockPlain = false;
        }

        return new ScalarAnalysis(lineBreaks, blockPlain, singleQuoted, block);
    }
}
