using Weir.Templates.Values;

namespace Weir.Helm.Values;

/// <summary>Dotted-path reads of values (Helm's Values.Table and Values.PathValue).</summary>
public static class ValuePath
{
    /// <summary>The map at <paramref name="path"/> (<c>a.b.c</c>), or null when a step is missing or not a map.</summary>
    public static GoMap? Table(GoMap values, string path)
    {
        var table = values;
        foreach (var part in path.Split('.'))
        {
            if (!table.TryGet(part, out var next) || next.MapOrNull() is not GoMap map)
            {
                return null;
            }

            table = map;
        }

        return table;
    }

    /// <summary>The value (not a map) at <paramref name="path"/>; false when there is none.</summary>
    public static bool TryGetValue(GoMap values, string path, out Value value)
    {
        value = default;
        if (path.Length == 0)
        {
            return false;
        }

        var dot = path.LastIndexOf('.');
        var table = dot < 0 ? values : Table(values, path[..dot]);
        var key = dot < 0 ? path : path[(dot + 1)..];
        if (table is not null && table.TryGet(key, out var found) && found.MapOrNull() is not GoMap)
        {
            value = found;
            return true;
        }

        return false;
    }
}
