using Weir.Helm.Charts;
using Weir.Templates;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>
/// Helm's template engine: every template of a chart and its subcharts is parsed into one namespace (higher-level
/// files last, so their definitions win), then each non-partial file is executed with its own chart's
/// <c>.Values</c>, <c>.Chart</c>, <c>.Files</c> and <c>.Subcharts</c>, and the shared <c>.Release</c> and <c>.Capabilities</c>.
/// </summary>
public sealed class TemplateRenderer
{
    private static readonly FunctionTable Functions = TemplateFunctions.Helm.With(HelmErrorFunctions.Create());

    private readonly TemplateEngine engine;

    public TemplateRenderer(RenderSettings? settings = null)
    {
        var s = settings ?? new RenderSettings();
        engine = new TemplateEngine(Functions, new TemplateOptions
        {
            MissingKey = s.Strict ? MissingKeyMode.Error : MissingKeyMode.Zero,
            RemoveNoValue = true,
            Lookup = s.Lookup,
            MaxOutputChars = s.MaxOutputChars,
        });
    }

    /// <summary>
    /// Renders every template of <paramref name="chart"/> (its dependencies already processed for these values) with the
    /// root chart's coalesced <paramref name="values"/>; the result maps template names (<c>chart/templates/x.yaml</c>) to their output.
    /// </summary>
    /// <exception cref="RenderException">A template failed to parse or execute.</exception>
    public SortedDictionary<string, string> Render(Chart chart, GoMap values, ReleaseOptions release, Capabilities capabilities)
    {
        var templates = new Dictionary<string, Renderable>(StringComparer.Ordinal);
        Collect(chart, templates, Value.Map(values), release.ToValue(), capabilities.ToValue());
        var order = templates.Keys.ToList();
        order.Sort(ParseOrder);

        var builder = engine.NewSet("gotpl");
        foreach (var name in order)
        {
            try
            {
                builder.Add(name, templates[name].Text);
            }
            catch (TemplateException e)
            {
                throw new RenderException(HelmErrors.ParseError(name, e.Message), e);
            }
        }

        var set = builder.Build();
        var rendered = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in order)
        {
            if (Path.GetFileName(name).StartsWith('_'))
            {
                continue;
            }

            var r = templates[name];
            var data = new GoMap(r.Scope.Count + 1);
            foreach (var (k, v) in r.Scope.Entries)
            {
                data.Set(k, v);
            }

            var template = new GoMap(2);
            template.Set("Name", Value.String(name));
            template.Set("BasePath", Value.String(r.BasePath));
            data.Set("Template", Value.Map(template));
            try
            {
                rendered[name] = set.Execute(name, Value.Map(data));
            }
            catch (TemplateLimitException e)
            {
                throw new RenderException($"rendering template failed: {e.Message}", e);
            }
            catch (TemplateException e)
            {
                throw new RenderException(HelmErrors.ExecError(name, e.Message), e);
            }
        }

        return rendered;
    }

    // Most '/' first; among equals, reverse lexical order (Helm sorts by path depth, then reverses).
    private static int ParseOrder(string a, string b)
    {
        var ca = a.Count(c => c == '/');
        var cb = b.Count(c => c == '/');
        return ca != cb ? cb.CompareTo(ca) : string.CompareOrdinal(b, a);
    }

    private static GoMap Collect(Chart chart, Dictionary<string, Renderable> templates, Value parentValues, Value release, Value capabilities)
    {
        var subcharts = new GoMap();
        var scope = new GoMap(8);
        scope.Set("Chart", ChartMetadataValue.Create(chart));
        scope.Set("Files", ChartFilesValue.Create(chart.Files));
        scope.Set("Release", release);
        scope.Set("Capabilities", capabilities);
        var values = ValuesValue.Create(chart.IsRoot ? parentValues.AsMap
            : parentValues.AsMap.TryGet(chart.Name, out var own) && own.IsMap ? own.AsMap : new GoMap());

        scope.Set("Values", values);
        scope.Set("Subcharts", Value.Map(subcharts));
        foreach (var child in chart.Dependencies)
        {
            subcharts.Set(child.Name, Value.Map(Collect(child, templates, values, release, capabilities)));
        }

        var prefix = chart.ChartFullPath;
        foreach (var t in chart.Templates)
        {
            if (chart.IsLibrary && !Path.GetFileName(t.Name).StartsWith('_'))
            {
                continue;
            }

            templates[prefix + "/" + t.Name] = new Renderable(System.Text.Encoding.UTF8.GetString(t.Data), scope, prefix + "/templates");
        }

        return scope;
    }

    private sealed record Renderable(string Text, GoMap Scope, string BasePath);
}

/// <summary>How templates execute: strict mode, <c>lookup</c> against a cluster, and the output limit.</summary>
public sealed record RenderSettings
{
    /// <summary>Helm's <c>--strict</c> for lint: a missing map key is an error.</summary>
    public bool Strict { get; init; }

    /// <summary>The cluster behind <c>lookup</c>; none gives empty results, as <c>helm template</c>.</summary>
    public IClusterLookup? Lookup { get; init; }

    /// <summary>Largest output of one template file, against runaway charts.</summary>
    public int MaxOutputChars { get; init; } = 64 * 1024 * 1024;
}
