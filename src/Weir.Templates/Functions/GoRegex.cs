using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Templates.Functions;

/// <summary>
/// Go's regexp (RE2 syntax) on .NET's engine: the pattern is translated (named groups, \pL, POSIX classes, ASCII
/// \d \s \w, end-of-text $) and RE2-only constructs are rejected; Go's rules for FindAll, Split and $-expansion follow.
/// </summary>
internal static class GoRegex
{
    private static readonly ConcurrentDictionary<string, Regex> Cache = new();

    public static Regex Compile(string pattern)
    {
        if (Cache.TryGetValue(pattern, out var r))
        {
            return r;
        }

        r = new Regex(Translate(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5));
        if (Cache.Count < 1024)
        {
            Cache.TryAdd(pattern, r);
        }

        return r;
    }

    private static readonly Dictionary<string, string> Posix = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    private static string Translate(string p)
    {
        var sb = new StringBuilder(p.Length + 8);
        var inClass = false;
        var multiline = false;
        for (var i = 0; i < p.Length; i++)
        {
            var c = p[i];
            if (c == '\\')
            {
                if (i + 1 >= p.Length)
                {
                    throw new ArgumentException("error parsing regexp: trailing backslash at end of expression: ``");
                }

                var n = p[++i];
                switch (n)
                {
                    case 'd':
                        sb.Append(inClass ? "0-9" : "[0-9]");
                        continue;
                    case 'D':
                        sb.Append(inClass ? "\\D" : "[^0-9]");
                        continue;
                    case 's':
                        sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                        continue;
                    case 'S':
                        sb.Append(inClass ? "\\S" : "[^\\t\\n\\f\\r ]");
                        continue;
                    case 'w':
                        sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                        continue;
                    case 'W':
                        sb.Append(inClass ? "\\W" : "[^0-9A-Za-z_]");
                        continue;
                    case 'p' or 'P':
                        if (i + 1 < p.Length && p[i + 1] != '{')
                        {
                            sb.Append('\\').Append(n).Append('{').Append(p[++i]).Append('}');
                            continue;
                        }

                        break;
                    case 'Q':
                        var end = p.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                        var lit = end < 0 ? p[(i + 1)..] : p[(i + 1)..end];
                        sb.Append(Regex.Escape(lit));
                        i = end < 0 ? p.Length : end + 1;
                        continue;
                    case 'z':
                        sb.Append("\\z");
                        continue;
                    case '1' or '2' or '3' or '4' or '5' or '6' or '7' or '8' or '9' or 'k' or 'g':
                        throw new ArgumentException($"error parsing regexp: invalid escape sequence: `\\{n}`");
                }

                sb.Append('\\').Append(n);
                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < p.Length && p[i + 1] == ':')
                {
                    var close = p.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        var name = p[(i + 2)..close];
                        var negate = name.StartsWith('^');
                        if (Posix.TryGetValue(negate ? name[1..] : name, out var set) && !negate)
                        {
                            sb.Append(set);
                            i = close + 1;
                            continue;
                        }
                    }
                }

                if (c == '[')
                {
                    sb.Append("\\[");
                    continue;
                }

                if (c == ']')
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < p.Length && p[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    if (i + 1 < p.Length && p[i + 1] == ']')
                    {
                        sb.Append("\\]");
                        i++;
                    }

                    continue;
                case '(':
                    if (p.AsSpan(i).StartsWith("(?P<"))
                    {
                        sb.Append("(?<");
                        i += 3;
                        continue;
                    }

                    if (p.AsSpan(i).StartsWith("(?=") || p.AsSpan(i).StartsWith("(?!") || p.AsSpan(i).StartsWith("(?<=") || p.AsSpan(i).StartsWith("(?<!"))
                    {
                        throw new ArgumentException("error parsing regexp: invalid or unsupported Perl syntax: `(?" + p[i + 2] + "`");
                    }

                    if (p.AsSpan(i).StartsWith("(?") && i + 2 < p.Length)
                    {
                        var j = i + 2;
                        while (j < p.Length && p[j] is not (')' or ':'))
                        {
                            if (p[j] == 'm')
                            {
                                multiline = true;
                            }

                            if (p[j] is not ('i' or 'm' or 's' or 'U' or '-'))
                            {
                                throw new ArgumentException("error parsing regexp: invalid or unsupported Perl syntax");
                            }

                            j++;
                        }
                    }

                    break;
                case '$':
                    sb.Append(multiline ? "(?=\\n|\\z)" : "\\z");
                    continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>FindAllString: successive matches, skipping an empty match right after the previous one; n &lt; 0 means all.</summary>
    public static List<Match> FindAll(Regex r, string s, long n)
    {
        var result = new List<Match>();
        if (n == 0)
        {
            return result;
        }

        var prevEnd = -1;
        foreach (Match m in r.Matches(s))
        {
            if (m.Length == 0 && m.Index == prevEnd)
            {
                continue;
            }

            result.Add(m);
            prevEnd = m.Index + m.Length;
            if (n > 0 && result.Count >= n)
            {
                break;
            }
        }

        return result;
    }

    public static List<string> Split(Regex r, string s, long n)
    {
        var result = new List<string>();
        if (n == 0)
        {
            return result;
        }

        if (r.ToString().Length > 0 && s.Length == 0)
        {
            return [""];
        }

        var matches = FindAll(r, s, n);
        var beg = 0;
        var end = 0;
        foreach (var m in matches)
        {
            if (n > 0 && result.Count == n - 1)
            {
                break;
            }

            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                result.Add(s[beg..end]);
            }

            beg = m.Index + m.Length;
        }

        if (end != s.Length)
        {
            result.Add(s[beg..]);
        }

        return result;
    }

    public static string ReplaceAll(Regex r, string s, string repl, bool literal)
    {
        var sb = new StringBuilder();
        var last = 0;
        foreach (var m in FindAll(r, s, -1))
        {
            sb.Append(s, last, m.Index - last);
            if (literal)
            {
                sb.Append(repl);
            }
            else
            {
                Expand(sb, r, m, repl);
            }

            last = m.Index + m.Length;
        }

        sb.Append(s, last, s.Length - last);
        return sb.ToString();
    }

    private static void Expand(StringBuilder sb, Regex r, Match m, string template)
    {
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                sb.Append(c);
                continue;
            }

            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            string name;
            var j = i + 1;
            if (template[j] == '{')
            {
                var close = template.IndexOf('}', j + 1);
                if (close < 0)
                {
                    sb.Append(c);
                    continue;
                }

                name = template[(j + 1)..close];
                if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
                {
                    sb.Append(c);
                    continue;
                }

                i = close;
            }
            else
            {
                var k = j;
                while (k < template.Length && (char.IsAsciiLetterOrDigit(template[k]) || template[k] == '_'))
                {
                    k++;
                }

                if (k == j)
                {
                    sb.Append(c);
                    continue;
                }

                name = template[j..k];
                i = k - 1;
            }

            if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var num))
            {
                if (num < m.Groups.Count && r.GetGroupNumbers().Contains(num))
                {
                    sb.Append(m.Groups[num].Value);
                }
            }
            else if (r.GetGroupNames().Contains(name))
            {
                sb.Append(m.Groups[name].Value);
            }
        }
    }

    public static string QuoteMeta(string s)
    {
        var sb = new StringBuilder(s.Length * 2);
        foreach (var c in s)
        {
            if ("\\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
