using Weir.Cli.Flux;

namespace Weir.Cli.Ui;

/// <summary>A screen the user can go back from with Esc.</summary>
public abstract class Page
{
    /// <summary>First line shown (scroll position).</summary>
    public int Top { get; set; }

    public abstract string Title { get; }
}

public enum SortKey
{
    Kind,
    Name,
    Age,
    Status,
}

/// <summary>A table of Flux objects: every kind, or one; filtered by name; sorted; with a cursor.</summary>
public sealed class ListPage(FluxKind? kind) : Page
{
    private static readonly Dictionary<FluxKind, int> KindOrder = FluxKind.All.Select((k, i) => (k, i)).ToDictionary(p => p.k, p => p.i);

    public FluxKind? Kind { get; } = kind;

    public string Filter { get; set; } = "";

    public SortKey Sort { get; set; } = SortKey.Kind;

    public bool Descending { get; set; }

    public int Cursor { get; set; }

    /// <summary>The namespace picked with a 0–9 hotkey while watching all namespaces; null shows all.</summary>
    public string? NamespaceFilter { get; set; }

    public override string Title => Kind is null ? "all" : KindWatch.Plural(Kind.Kind);

    /// <summary>Sorts by <paramref name="key"/>; the same key again reverses the order.</summary>
    public void SortBy(SortKey key)
    {
        Descending = Sort == key && !Descending;
        Sort = key;
    }

    public List<FluxRow> Arrange(IEnumerable<FluxRow> rows)
    {
        var selected = rows.Where(r => (Filter.Length == 0 || r.Status.Name.Contains(Filter, StringComparison.OrdinalIgnoreCase))
            && (NamespaceFilter is null || r.Status.Namespace == NamespaceFilter));
        IOrderedEnumerable<FluxRow> ordered = Sort switch
        {
            SortKey.Name => selected.OrderBy(r => r.Status.Name, StringComparer.Ordinal).ThenBy(r => r.Status.Namespace, StringComparer.Ordinal),
            SortKey.Age => selected.OrderBy(r => r.Created ?? DateTimeOffset.MaxValue).ThenBy(r => r.Status.Name, StringComparer.Ordinal),
            // Problems first: failed, then in progress, then suspended, then healthy.
            SortKey.Status => selected.OrderByDescending(r => r.Severity).ThenBy(r => r.Status.Name, StringComparer.Ordinal),
            _ => selected.OrderBy(r => KindOrder[r.Kind]).ThenBy(r => r.Status.Namespace, StringComparer.Ordinal)
                .ThenBy(r => r.Status.Name, StringComparer.Ordinal),
        };
        var list = ordered.ToList();
        if (Descending)
        {
            list.Reverse();
        }

        return list;
    }
}

/// <summary>
/// A page of text (YAML, describe, history, trace, graph, help, events, pulse): fixed once loaded, or rendered
/// live from the watch on every draw; searchable with <c>/</c>, <c>n</c> and <c>N</c>.
/// </summary>
public sealed class TextPage(string title, Func<IReadOnlyList<StyledLine>> render) : Page
{
    private IReadOnlyList<StyledLine>? _loaded;

    public override string Title { get; } = title;

    public string Search { get; set; } = "";

    /// <summary>Loads the content in the background; shows "loading…" until then and the error if it fails.</summary>
    public static TextPage Loading(string title, Func<Task<IReadOnlyList<StyledLine>>> load, Action loaded)
    {
        TextPage? page = null;
        page = new TextPage(title, () => page!._loaded ?? [StyledLine.Of("loading…", Tone.Dim)]);
        _ = Task.Run(async () =>
        {
            try
            {
                page._loaded = await load();
            }
            catch (Exception e)
            {
                page._loaded = [StyledLine.Of($"✗ {e.Message}", Tone.Bad)];
            }

            loaded();
        });
        return page;
    }

    public IReadOnlyList<StyledLine> Lines() => render();

    /// <summary>Moves <see cref="Page.Top"/> to the next (or previous) line containing <see cref="Search"/>.</summary>
    public void FindNext(bool backwards)
    {
        if (Search.Length == 0)
        {
            return;
        }

        var lines = Lines();
        for (var step = 1; step <= lines.Count; step++)
        {
            var i = ((Top + (backwards ? -step : step)) % lines.Count + lines.Count) % lines.Count;
            if (lines[i].Text.Contains(Search, StringComparison.OrdinalIgnoreCase))
            {
                Top = i;
                return;
            }
        }
    }
}
