using System.Text;
using Weir.Helm.Charts;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>
/// <c>.Files</c>: a chart's non-template files by path, with Helm's methods Get, GetBytes, Glob, Lines, AsConfig and
/// AsSecrets. Contents are held as strings (what every method but GetBytes returns).
/// </summary>
internal static class ChartFilesValue
{
    private static readonly GoType FilesType = CreateType();

    public static Value Create(IEnumerable<ChartFile> files)
    {
        var map = new GoMap(FilesType);
        foreach (var f in files)
        {
            map.Set(f.Name, Value.String(Encoding.UTF8.GetString(f.Data)));
        }

        return Value.Map(map);
    }

    private static GoType CreateType()
    {
        var t = new GoType("engine.files", GoKind.Map, GoType.ByteSlice, GoType.String);
        Method(t, "Get", [GoType.String], static (_, a) => Value.String(Get(a[0].AsMap, a[1].AsString)));
        Method(t, "GetBytes", [GoType.String], static (_, a) => Bytes(Get(a[0].AsMap, a[1].AsString)));
        Method(t, "Glob", [GoType.String], static (_, a) => Glob(a[0].AsMap, a[1].AsString));
        Method(t, "Lines", [GoType.String], static (_, a) => Lines(a[0].AsMap, a[1].AsString));
        Method(t, "AsConfig", [], static (_, a) => Value.String(AsYaml(a[0].AsMap, secrets: false)));
        Method(t, "AsSecrets", [], static (_, a) => Value.String(AsYaml(a[0].AsMap, secrets: true)));
        return t;
    }

    private static void Method(GoType t, string name, GoType[] parameters, TemplateFunctionBody body) =>
        t.WithMethod(name, new GoMethod(new TemplateFunction(name, parameters, body)));

    private static string Get(GoMap files, string name) => files.TryGet(name, out var v) && v.IsString ? v.AsString : "";

    private static Value Bytes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var values = new Value[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            values[i] = Value.Integer(bytes[i], GoType.Uint8);
        }

        return Value.List(new GoList(GoType.ByteSlice, values));
    }

    private static Value Glob(GoMap files, string pattern)
    {
        var glob = SlashGlob.TryCompile(pattern) ?? SlashGlob.TryCompile("**")!;
        var result = new GoMap(FilesType);
        foreach (var (name, content) in files.Entries)
        {
            if (glob.IsMatch(name))
            {
                result.Set(name, content);
            }
        }

        return Value.Map(result);
    }

    private static Value Lines(GoMap files, string path)
    {
        var s = Get(files, path);
        if (s.Length == 0)
        {
            return Value.List(new GoList(GoType.StringSlice, []));
        }

        if (s[^1] == '\n')
        {
            s = s[..^1];
        }

        return Value.List(GoList.OfStrings(s.Split('\n')));
    }

    private static string AsYaml(GoMap files, bool secrets)
    {
        var map = new GoMap(GoType.StringMap);
        foreach (var (name, content) in files.Entries)
        {
            var text = content.AsString;
            var slash = name.LastIndexOf('/');
            map.Set(slash < 0 ? name : name[(slash + 1)..],
                Value.String(secrets ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : text));
        }

        return HelmYaml.ToYaml(Value.Map(map));
    }
}
