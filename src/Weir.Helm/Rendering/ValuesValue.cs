using Weir.Templates;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary><c>.Values</c>: the chart's values as Helm's Values type, whose methods templates may call (AsMap, YAML, Table, PathValue).</summary>
internal static class ValuesValue
{
    private static readonly GoType ValuesType = CreateType();

    public static Value Create(GoMap values)
    {
        var map = new GoMap(ValuesType, values.Count);
        foreach (var (k, v) in values.Entries)
        {
            map.Set(k, v);
        }

        return Value.Map(map);
    }

    private static GoType CreateType()
    {
        var t = new GoType("common.Values", GoKind.Map, GoType.Interface, GoType.String);
        Method(t, "AsMap", [], static (_, a) => Value.Map(Plain(a[0].AsMap)));
        Method(t, "YAML", [], static (_, a) => Value.String(HelmYaml.ToYaml(Value.Map(Plain(a[0].AsMap))) + "\n"));
        Method(t, "Table", [GoType.String], static (_, a) => Table(a[0].AsMap, a[1].AsString));
        Method(t, "PathValue", [GoType.String], static (_, a) => PathValue(a[0].AsMap, a[1].AsString));
        return t;
    }

    private static void Method(GoType t, string name, GoType[] parameters, TemplateFunctionBody body) =>
        t.WithMethod(name, new GoMethod(new TemplateFunction(name, parameters, body)));

    private static GoMap Plain(GoMap values)
    {
        var map = new GoMap(values.Count);
        foreach (var (k, v) in values.Entries)
        {
            map.Set(k, v);
        }

        return map;
    }

    private static Value Table(GoMap values, string name)
    {
        var table = values;
        foreach (var part in name.Split('.'))
        {
            if (!table.TryGet(part, out var next) || !next.IsMap)
            {
                throw new TemplateFunctionException($"no table named \"{name}\"");
            }

            table = next.AsMap;
        }

        return Create(table);
    }

    private static Value PathValue(GoMap values, string path)
    {
        if (path.Length == 0)
        {
            throw new TemplateFunctionException("YAML path cannot be empty");
        }

        var dot = path.LastIndexOf('.');
        var key = path[(dot + 1)..];
        var table = values;
        if (dot >= 0)
        {
            foreach (var part in path[..dot].Split('.'))
            {
                if (!table.TryGet(part, out var next) || !next.IsMap)
                {
                    throw new TemplateFunctionException($"no table named \"{path[..dot]}\"");
                }

                table = next.AsMap;
            }
        }

        if (table.TryGet(key, out var value) && !value.IsMap)
        {
            return value;
        }

        throw new TemplateFunctionException($"no value named \"{path}\"");
    }
}
