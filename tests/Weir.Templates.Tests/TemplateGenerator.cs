using System.Text;

namespace Weir.Templates.Tests;

/// <summary>
/// Random templates over the grammar (actions, pipelines, variables, if/else if/with/range/break/continue,
/// define/template, trim markers, comments) and the function families, with deterministic functions only
/// (no clocks, randomness or Go's random map order).
/// </summary>
internal sealed class TemplateGenerator(int seed)
{
    public const string Data = """
        {"name":"weir","Name":"Weir","n":3,"zero":0,"neg":-2,"f":1.5,"big":1000000,"t":true,"no":false,"nil":null,
         "s":"Hello, World","sp":"  padded text  ","html":"<a href=\"x\">&'</a>","multi":"line1\nline2",
         "list":[1,"two",3.5,true,null],"nums":[3,1,2],"strs":["b","a","c","a"],"empty":[],"emap":{},
         "m":{"a":1,"b":"bee","c":[1,2],"d":{"e":"deep"},"z":null},"ver":"1.2.3-beta.1",
         "unicode":"héllo wörld","json":"{\"k\":[1,2]}","yaml":"a: 1\nb: [x, y]","path":"/usr/local/../bin/app.tar.gz"}
        """;

    private readonly Random rnd = new(seed);
    private int varCount;
    private readonly List<string> vars = [];

    private static readonly string[] Fields = [".name", ".Name", ".n", ".zero", ".neg", ".f", ".big", ".t", ".no", ".nil", ".s", ".sp", ".html", ".multi", ".list", ".nums", ".strs", ".empty", ".emap", ".m", ".m.a", ".m.b", ".m.c", ".m.d", ".m.d.e", ".m.z", ".missing", ".m.missing", ".ver", ".unicode", ".json", ".yaml", ".path", "."];

    private static readonly string[] Constants = ["0", "1", "2", "3", "-1", "10", "1.5", "2.0", "1e3", "0x10", "'a'", "\"x\"", "\"\"", "\"a,b,c\"", "\"Hello World\"", "\"  spaced  \"", "true", "false", "\"1.2.3\"", "\"foo_bar\"", "\"%d-%s\"", "\"%v|%5.2f|%q\"", "\"a\\nb\"", "`raw`", "\"ünï\"", "\"^1.0.0\"", "\">=1.2\"", "\"[a-c]+\"", "\"b\""];

    // name, minimum arguments, maximum arguments
    private static readonly (string Name, int Min, int Max)[] Functions =
    [
        ("eq", 2, 3), ("ne", 2, 2), ("lt", 2, 2), ("le", 2, 2), ("gt", 2, 2), ("ge", 2, 2), ("and", 1, 3), ("or", 1, 3), ("not", 1, 1),
        ("len", 1, 1), ("index", 1, 3), ("print", 0, 3), ("printf", 1, 3), ("println", 0, 2), ("html", 1, 2), ("js", 1, 2), ("urlquery", 1, 2),
        ("upper", 1, 1), ("lower", 1, 1), ("trim", 1, 1), ("quote", 0, 3), ("squote", 0, 2), ("default", 1, 2), ("empty", 1, 1), ("coalesce", 0, 3),
        ("list", 0, 3), ("dict", 0, 4), ("join", 2, 2), ("toString", 1, 1), ("int", 1, 1), ("int64", 1, 1), ("float64", 1, 1), ("add", 0, 3),
        ("sub", 2, 2), ("mul", 1, 3), ("div", 2, 2), ("mod", 2, 2), ("max", 1, 3), ("min", 1, 3), ("add1", 1, 1), ("b64enc", 1, 1), ("b64dec", 1, 1),
        ("sha256sum", 1, 1), ("sha1sum", 1, 1), ("adler32sum", 1, 1), ("trunc", 2, 2), ("substr", 3, 3), ("repeat", 2, 2), ("replace", 3, 3),
        ("contains", 2, 2), ("hasPrefix", 2, 2), ("hasSuffix", 2, 2), ("splitList", 2, 2), ("split", 2, 2), ("first", 1, 1), ("last", 1, 1),
        ("rest", 1, 1), ("initial", 1, 1), ("reverse", 1, 1), ("uniq", 1, 1), ("compact", 1, 1), ("has", 2, 2), ("without", 1, 3),
        ("ternary", 3, 3), ("toJson", 1, 1), ("toRawJson", 1, 1), ("toPrettyJson", 1, 1), ("toYaml", 1, 1), ("indent", 2, 2), ("nindent", 2, 2),
        ("snakecase", 1, 1), ("kebabcase", 1, 1), ("title", 1, 1), ("untitle", 1, 1), ("typeOf", 1, 1), ("kindOf", 1, 1), ("kindIs", 2, 2),
        ("semverCompare", 2, 2), ("regexMatch", 2, 2), ("regexReplaceAll", 3, 3), ("regexFindAll", 3, 3), ("regexSplit", 3, 3),
        ("base", 1, 1), ("dir", 1, 1), ("ext", 1, 1), ("clean", 1, 1), ("fromJson", 1, 1), ("fromYaml", 1, 1), ("dig", 3, 4), ("get", 2, 2),
        ("hasKey", 2, 2), ("until", 1, 1), ("seq", 1, 3), ("abbrev", 2, 2), ("wrap", 2, 2), ("plural", 3, 3), ("cat", 0, 3), ("nospace", 1, 1),
        ("initials", 1, 1), ("swapcase", 1, 1), ("atoi", 1, 1), ("ceil", 1, 1), ("floor", 1, 1), ("round", 2, 2), ("addf", 1, 3), ("mulf", 1, 2),
        ("subf", 1, 2), ("divf", 2, 2), ("sortAlpha", 1, 1), ("toStrings", 1, 1), ("concat", 1, 2), ("chunk", 2, 2), ("slice", 1, 3),
        ("deepEqual", 2, 2), ("typeIs", 2, 2), ("required", 2, 2), ("b32enc", 1, 1), ("trimPrefix", 2, 2), ("trimSuffix", 2, 2), ("trimAll", 2, 2),
        ("biggest", 1, 2), ("toDecimal", 1, 1), ("pick", 1, 3), ("omit", 1, 3),
        ("deepCopy", 1, 1), ("urlParse", 1, 1), ("regexQuoteMeta", 1, 1), ("mustToDuration", 1, 1), ("fromYamlArray", 1, 1), ("fromJsonArray", 1, 1),
        ("include", 2, 2), ("tpl", 2, 2), ("toToml", 1, 1), ("fromToml", 1, 1), ("semver", 1, 1), ("wrapWith", 3, 3), ("abbrevboth", 3, 3),
        ("toYamlPretty", 1, 1), ("decryptAES", 2, 2),
    ];

    private T Pick<T>(IReadOnlyList<T> items) => items[rnd.Next(items.Count)];

    public (string Template, string Funcs) Next()
    {
        vars.Clear();
        varCount = 0;
        var funcs = rnd.Next(10) switch
        {
            0 => "builtin",
            1 or 2 => "sprig",
            _ => "helm",
        };
        var sb = new StringBuilder();
        if (funcs != "builtin" && rnd.Next(6) == 0)
        {
            sb.Append("{{define \"helper\"}}[{{.}}]{{end}}");
        }

        var count = rnd.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            sb.Append(Item(funcs, 0, inRange: false));
        }

        return (sb.ToString(), funcs);
    }

    private string Open() => rnd.Next(5) == 0 ? "{{- " : "{{";

    private string Close() => rnd.Next(5) == 0 ? " -}}" : "}}";

    private string Item(string funcs, int depth, bool inRange)
    {
        var choice = rnd.Next(depth > 2 ? 4 : 12);
        switch (choice)
        {
            case 0:
                return Pick(new[] { "x", " ", "\n", "a b", " - ", "\t" });
            case 1 or 2 or 3:
                return Open() + Pipeline(funcs, 0) + Close();
            case 4:
                var name = "$v" + varCount++;
                var decl = Open() + name + " := " + Pipeline(funcs, 0) + Close();
                vars.Add(name);
                return decl + Open() + name + Close();
            case 5:
                return Open() + "if " + Pipeline(funcs, 1) + Close() + Item(funcs, depth + 1, inRange)
                    + (rnd.Next(3) == 0 ? "{{else if " + Pipeline(funcs, 1) + "}}" + Item(funcs, depth + 1, inRange) : "")
                    + (rnd.Next(2) == 0 ? "{{else}}" + Item(funcs, depth + 1, inRange) : "") + "{{end}}";
            case 6:
                return Open() + "with " + Pipeline(funcs, 1) + Close() + Item(funcs, depth + 1, inRange)
                    + (rnd.Next(2) == 0 ? "{{else}}" + Item(funcs, depth + 1, inRange) : "") + "{{end}}";
            case 7 or 8:
                var (k, v) = ("$k" + varCount, "$e" + varCount);
                varCount++;
                var header = rnd.Next(3) switch
                {
                    0 => "range ",
                    1 => $"range {v} := ",
                    _ => $"range {k}, {v} := ",
                };
                var saved = vars.Count;
                if (header.Contains(v, StringComparison.Ordinal))
                {
                    vars.Add(v);
                }

                if (header.Contains(k, StringComparison.Ordinal))
                {
                    vars.Add(k);
                }

                var target = Pick(new[] { ".list", ".nums", ".strs", ".empty", ".m", ".emap", ".missing", ".s", ".n", "(list 1 2)", "(until 3)", ".m.c", "(splitList \",\" \"a,b\")" });
                var body = Item(funcs, depth + 1, inRange: true);
                if (rnd.Next(4) == 0)
                {
                    body += rnd.Next(2) == 0 ? "{{if eq 1 1}}{{break}}{{end}}" : "{{continue}}";
                }

                var result = Open() + header + target + Close() + body + (rnd.Next(3) == 0 ? "{{else}}" + Item(funcs, depth + 1, inRange) : "") + "{{end}}";
                vars.RemoveRange(saved, vars.Count - saved);
                return result;
            case 9:
                return "{{/* comment */}}";
            case 10:
                return funcs == "builtin" ? "{{template \"x\"}}" : "{{template \"helper\" " + Operand(funcs, 1) + "}}";
            default:
                return Open() + Pipeline(funcs, 0) + " | " + Pick(new[] { "print", "len", "printf \"%v\"", "html", "urlquery" }) + Close();
        }
    }

    private string Pipeline(string funcs, int depth)
    {
        var s = Command(funcs, depth);
        if (funcs != "builtin" && rnd.Next(4) == 0)
        {
            var (name, min, _) = PickFunction(funcs);
            if (min >= 1 && name is not ("fromJson" or "fromJsonArray" or "fromYaml" or "fromYamlArray" or "fromToml" or "toToml" or "include" or "tpl"))
            {
                s += " | " + name;
                for (var i = 1; i < min; i++)
                {
                    s += " " + Operand(funcs, depth + 1);
                }
            }
        }

        return s;
    }

    private (string Name, int Min, int Max) PickFunction(string funcs)
    {
        while (true)
        {
            var f = Pick(Functions);
            var builtin = f.Name is "eq" or "ne" or "lt" or "le" or "gt" or "ge" or "and" or "or" or "not" or "len" or "index" or "print" or "printf" or "println" or "html" or "js" or "urlquery";
            if (funcs == "builtin" && !builtin)
            {
                continue;
            }

            if (funcs == "sprig" && f.Name is "toYaml" or "toYamlPretty" or "fromYaml" or "required" or "include" or "tpl" or "toToml" or "fromToml" or "mustToDuration" or "fromYamlArray" or "fromJsonArray")
            {
                continue;
            }

            return f;
        }
    }

    private string Command(string funcs, int depth)
    {
        if (depth > 2 || rnd.Next(3) == 0)
        {
            return Operand(funcs, depth);
        }

        var (name, min, max) = PickFunction(funcs);
        var n = rnd.Next(min, max + 1);
        var sb = new StringBuilder(name);
        for (var i = 0; i < n; i++)
        {
            sb.Append(' ').Append(ArgumentFor(name, i, funcs, depth));
        }

        return sb.ToString();
    }

    // Parsers whose error texts are part of their output (fromJson's {"Error": …}) get valid input: Weir's
    // messages for malformed JSON, YAML and TOML differ from Go's (docs/templates.md, deviations).
    private string ArgumentFor(string name, int i, string funcs, int depth) => (name, i) switch
    {
        ("include", 0) => "\"helper\"",
        ("tpl", 0) => Pick(new[] { "\"{{ .n }}\"", "\"x{{ . }}\"", ".s" }),
        ("fromJson" or "fromJsonArray", 0) => Pick(new[] { ".json", "\"[1, 2]\"", "\"{}\"", "(toJson .m)" }),
        ("fromYaml" or "fromYamlArray", 0) => Pick(new[] { ".yaml", "\"- a\\n- b\"", "(toYaml .m)" }),
        ("fromToml", 0) => Pick(new[] { "\"a = 1\"", "\"[t]\\nk = 'v'\"" }),
        ("toToml", 0) => Pick(new[] { ".m.d", "(dict \"a\" 1)", ".emap" }),
        _ => Operand(funcs, depth + 1),
    };

    private string Operand(string funcs, int depth)
    {
        var r = rnd.Next(10);
        if (r < 4)
        {
            return Pick(Fields);
        }

        if (r < 7)
        {
            return Pick(Constants);
        }

        if (r == 7 && vars.Count > 0)
        {
            return Pick(vars);
        }

        if (r == 8 && depth < 3)
        {
            return "(" + Pipeline(funcs, depth + 1) + ")";
        }

        return rnd.Next(4) == 0 ? "nil" : "$";
    }
}
