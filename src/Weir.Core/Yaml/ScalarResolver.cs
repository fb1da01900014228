using System.Text.RegularExpressions;

namespace Weir.Core.Yaml;

/// <summary>
/// Implicit typing as go-yaml applies it: v2's YAML 1.1 rules (the resolver under sigs.k8s.io/yaml) with
/// y/yes/on/... booleans, or v3's (kustomize's kyaml) where only true/false spellings are booleans. Both share Go
/// integer syntax (0x, 0o, 0b, leading-zero octal, underscores), YAML floats, .inf/.nan, null forms and timestamps.
/// </summary>
internal static partial class ScalarResolver
{
    private static readonly Dictionary<string, (string Tag, object? Value)> Known = BuildKnown(yaml11Booleans: true);
    private static readonly Dictionary<string, (string Tag, object? Value)> KnownV3 = BuildKnown(yaml11Booleans: false);

    /// <summary>Resolves <paramref name="value"/> under <paramref name="tag"/> ("" when untagged).</summary>
    /// <returns>The resolved tag and a value: null, bool, long, ulong, double or string (timestamps: their text).</returns>
    /// <exception cref="FormatException">The explicit tag does not fit the value.</exception>
    public static (string Tag, object? Value) Resolve(string tag, string value, YamlDialect dialect = YamlDialect.SigsYaml)
    {
        if (!IsResolvable(tag))
        {
            return (tag, value);
        }

        var (rtag, resolved) = ResolveCore(tag, value, dialect == YamlDialect.Kyaml ? KnownV3 : Known);
        if (tag.Length == 0 || rtag == tag || tag == YamlTags.Str)
        {
            return (rtag, resolved);
        }

        if (tag == YamlTags.Float && rtag == YamlTags.Int && resolved is long l)
        {
            return (YamlTags.Float, (double)l);
        }

        throw new FormatException($"cannot decode {YamlTags.Short(rtag)} `{value}` as a {YamlTags.Short(tag)}");
    }

    /// <summary>Whether an untagged plain scalar with this text would be read back as something other than a string.</summary>
    public static bool ResolvesToNonString(string value) => ResolveCore("", value, Known).Tag != YamlTags.Str;

    private static bool IsResolvable(string tag) => tag is "" or YamlTags.Str or YamlTags.Bool or YamlTags.Int
        or YamlTags.Float or YamlTags.Null or YamlTags.Timestamp;

    private static (string Tag, object? Value) ResolveCore(string tag, string value, Dictionary<string, (string Tag, object? Value)> known)
    {
        var hint = value.Length == 0 ? 'N' : Hint(value[0]);
        if (hint == '\0' || tag == YamlTags.Str)
        {
            return (YamlTags.Str, value);
        }

        if (known.TryGetValue(value, out var entry))
        {
            return entry;
        }

        switch (hint)
        {
            case '.':
                if (GoNumbers.TryParseFloat(value, out var f))
                {
                    return (YamlTags.Float, f);
                }

                break;
            case 'D' or 'S':
                if ((tag.Length == 0 || tag == YamlTags.Timestamp) && GoTimestamp.IsTimestamp(value))
                {
                    return (YamlTags.Timestamp, value);
                }

                var plain = value.Replace("_", "", StringComparison.Ordinal);
                if (GoNumbers.TryParseInt(plain, out var i))
                {
                    return (YamlTags.Int, i);
                }

                if (GoNumbers.TryParseUInt(plain, out var u))
                {
                    return (YamlTags.Int, u);
                }

                if (YamlStyleFloat().IsMatch(plain) && GoNumbers.TryParseFloat(plain, out var d))
                {
                    return (YamlTags.Float, d);
                }

                break;
        }

        return (YamlTags.Str, value);
    }

    private static char Hint(char c) => c switch
    {
        '+' or '-' => 'S',
        >= '0' and <= '9' => 'D',
        'y' or 'Y' or 'n' or 'N' or 't' or 'T' or 'f' or 'F' or 'o' or 'O' or '~' => 'M',
        '.' => '.',
        _ => '\0',
    };

    private static Dictionary<string, (string, object?)> BuildKnown(bool yaml11Booleans)
    {
        var map = new Dictionary<string, (string, object?)>(StringComparer.Ordinal);
        void Add(string tag, object? value, params string[] names)
        {
            foreach (var n in names)
            {
                map[n] = (tag, value);
            }
        }

        Add(YamlTags.Bool, true, "true", "True", "TRUE");
        Add(YamlTags.Bool, false, "false", "False", "FALSE");
        if (yaml11Booleans)
        {
            Add(YamlTags.Bool, true, "y", "Y", "yes", "Yes", "YES", "on", "On", "ON");
            Add(YamlTags.Bool, false, "n", "N", "no", "No", "NO", "off", "Off", "OFF");
        }

        Add(YamlTags.Null, null, "", "~", "null", "Null", "NULL");
        Add(YamlTags.Float, double.NaN, ".nan", ".NaN", ".NAN");
        Add(YamlTags.Float, double.PositiveInfinity, ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF");
        Add(YamlTags.Float, double.NegativeInfinity, "-.inf", "-.Inf", "-.INF");
        Add(YamlTags.Merge, "<<", "<<");
        return map;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlStyleFloat();
}
