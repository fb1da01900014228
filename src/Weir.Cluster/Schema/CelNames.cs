using System.Text;

namespace Weir.Cluster.Schema;

/// <summary>
/// How a property name appears in a CRD validation rule, as Kubernetes escapes it: CEL keywords become
/// <c>__name__</c>, and <c>__</c>, <c>.</c>, <c>-</c>, <c>/</c> become <c>__underscores__</c>, <c>__dot__</c>,
/// <c>__dash__</c>, <c>__slash__</c>. Names that cannot be escaped (a leading digit, other characters) are not
/// visible to rules.
/// </summary>
public static class CelNames
{
    private static readonly HashSet<string> Reserved =
        ["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
         "let", "loop", "package", "namespace", "return", "var", "void", "while"];

    public static string? Escape(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return null;
        }

        if (Reserved.Contains(name))
        {
            return $"__{name}__";
        }

        var escaped = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_' && i + 1 < name.Length && name[i + 1] == '_')
            {
                escaped.Append("__underscores__");
                i++;
            }
            else if (c is '.' or '-' or '/')
            {
                escaped.Append(c switch { '.' => "__dot__", '-' => "__dash__", _ => "__slash__" });
            }
            else if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                escaped.Append(c);
            }
            else
            {
                return null;
            }
        }

        return escaped.ToString();
    }
}
