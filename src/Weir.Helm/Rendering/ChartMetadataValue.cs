using Weir.Helm.Charts;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary><c>.Chart</c>: the chart's metadata as a map keyed by Go field names (as Helm 4 builds it), plus <c>IsRoot</c>.</summary>
internal static class ChartMetadataValue
{
    public static Value Create(Chart chart)
    {
        var md = chart.Metadata;
        var m = new GoMap(18);
        m.Set("Name", Value.String(md.Name));
        m.Set("Home", Value.String(md.Home));
        m.Set("Sources", Strings(md.Sources));
        m.Set("Version", Value.String(md.Version));
        m.Set("Description", Value.String(md.Description));
        m.Set("Keywords", Strings(md.Keywords));
        m.Set("Maintainers", Value.List(new GoList(md.Maintainers.Select(Maintainer).ToArray())));
        m.Set("Icon", Value.String(md.Icon));
        m.Set("APIVersion", Value.String(md.ApiVersion));
        m.Set("Condition", Value.String(md.Condition));
        m.Set("Tags", Value.String(md.Tags));
        m.Set("AppVersion", Value.String(md.AppVersion));
        m.Set("Deprecated", Value.Bool(md.Deprecated));
        m.Set("Annotations", Value.Map(Annotations(md.Annotations)));
        m.Set("KubeVersion", Value.String(md.KubeVersion));
        m.Set("Dependencies", Value.List(new GoList((md.Dependencies ?? []).Select(Dependency).ToArray())));
        m.Set("Type", Value.String(md.Type));
        m.Set("IsRoot", Value.Bool(chart.IsRoot));
        return Value.Map(m);
    }

    private static Value Strings(List<string> list) => Value.List(new GoList(list.Select(Value.String).ToArray()));

    private static GoMap Annotations(Dictionary<string, string>? annotations)
    {
        if (annotations is null)
        {
            return GoMap.Nil(GoType.StringMap);
        }

        var m = new GoMap(GoType.StringMap, annotations.Count);
        foreach (var (k, v) in annotations)
        {
            m.Set(k, Value.String(v));
        }

        return m;
    }

    private static Value Maintainer(ChartMaintainer? maintainer)
    {
        if (maintainer is null)
        {
            return Value.Nil;
        }

        var m = new GoMap(3);
        m.Set("Name", Value.String(maintainer.Name));
        m.Set("Email", Value.String(maintainer.Email));
        m.Set("URL", Value.String(maintainer.Url));
        return Value.Map(m);
    }

    private static Value Dependency(ChartDependency? dependency)
    {
        if (dependency is null)
        {
            return Value.Nil;
        }

        var m = new GoMap(8);
        m.Set("Name", Value.String(dependency.Name));
        m.Set("Version", Value.String(dependency.Version));
        m.Set("Repository", Value.String(dependency.Repository));
        m.Set("Condition", Value.String(dependency.Condition));
        m.Set("Tags", Strings(dependency.Tags));
        m.Set("Enabled", Value.Bool(dependency.Enabled));
        m.Set("ImportValues", Value.List(new GoList(dependency.ImportValues.Select(v => GoValues.FromJson(v?.DeepClone())).ToArray())));
        m.Set("Alias", Value.String(dependency.Alias));
        return Value.Map(m);
    }
}
