using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Helm.Rendering;

/// <summary>
/// The glob syntax of <c>.Files.Glob</c> (gobwas/glob with '/' as separator): <c>*</c> and <c>?</c> stop at '/',
/// <c>**</c> crosses it, <c>[a-z]</c>, <c>[!x]</c>, <c>{a,b}</c> alternatives and <c>\</c> escapes.
/// </summary>
internal sealed class SlashGlob
{
    private readonly Regex regex;

    private SlashGlob(Regex regex) => this.regex = regex;

    public bool IsMatch(string name) => regex.IsMatch(name);

    /// <summary>The compiled pattern, or null when it is malformed.</summary>
    public static SlashGlob? TryCompile(string pattern)
    {
        var sb = new StringBuilder("^");
        var i = 0;
        if (!Append(pattern, ref i, sb, inBraces: false) || i != pattern.Length)
        {
            return null;
        }

        sb.Append('$');
        return new SlashGlob(new Regex(sb.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1)));
    }

    private static bool Append(string p, ref int i, StringBuilder sb, bool inBraces)
    {
        while (i < p.Length)
        {
            var c = p[i];
            switch (c)
            {
                case '*':
                    if (i + 1 < p.Length && p[i + 1] == '*')
                    {
                        sb.Append(".*");
                        i += 2;
                    }
                    else
                    {
                        sb.Append("[^/]*");
                        i++;
                    }

                    break;
                case '?':
                    sb.Append("[^/]");
                    i++;
                    break;
                case '[':
                    var end = p.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        return false;
                    }

                    var body = p[(i + 1)..end];
                    var negate = body.StartsWith('!');
                    if (negate)
                    {
                        body = body[1..];
                    }

                    sb.Append(negate ? "[^" : "[");
                    foreach (var ch in body)
                    {
                        sb.Append(ch == '-' ? "-" : Regex.Escape(ch.ToString()).Replace("]", "\\]"));
                    }

                    sb.Append(']');
                    i = end + 1;
                    break;
                case '{':
                    i++;
                    sb.Append("(?:");
                    while (true)
                    {
                        if (!Append(p, ref i, sb, inBraces: true) || i >= p.Length)
                        {
                            return false;
                        }

                        if (p[i] == '}')
                        {
                            i++;
                            break;
                        }

                        sb.Append('|');
                        i++;
                    }

                    sb.Append(')');
                    break;
                case ',' or '}' when inBraces:
                    return true;
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        return false;
                    }

                    sb.Append(Regex.Escape(p[i + 1].ToString()));
                    i += 2;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    i++;
                    break;
            }
        }

        return !inBraces;
    }
}
