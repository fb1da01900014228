using Weir.Cli.Flux;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>
/// What <c>weir ui</c> shows and how keys change it, independent of the terminal library: a stack of pages (lists,
/// text), the <c>:</c> command line and <c>/</c> filter, the actions and their outcome lines. <see cref="Render"/>
/// lays out the whole screen as styled lines; <see cref="HandleKey"/> takes k9s' keys by name (<c>j</c>,
/// <c>Enter</c>, <c>Ctrl+D</c> …).
/// </summary>
public sealed class UiController
{
    private const int OutcomeLines = 4;
    private readonly FluxWatch _watch;
    private readonly AppVerdicts _verdicts;
    private readonly ObjectViews _views;
    private readonly UiActions _actions;
    private readonly EventFeed _events;
    private readonly string _context;
    private readonly string? _logFile;
    private readonly Stack<Page> _pages = new();
    private readonly List<string> _outcome = [];
    private readonly Lock _outcomeGate = new();
    private char? _prompt;
    private string _input = "";
    private FluxRow? _confirmDelete;

    public UiController(ResourceClient client, FluxWatch watch, AppVerdicts verdicts, string context, bool readOnly, string? logFile)
    {
        _watch = watch;
        _verdicts = verdicts;
        _context = context;
        _logFile = logFile;
        ReadOnly = readOnly;
        _views = new ObjectViews(client);
        _actions = new UiActions(client, line =>
        {
            lock (_outcomeGate)
            {
                _outcome.Add(line);
            }

            Redraw?.Invoke();
        });
        _events = new EventFeed(client);
        _events.Changed += () => Redraw?.Invoke();
        _pages.Push(new ListPage(null));
    }

    /// <summary>Asks the terminal for a redraw; may be called from any thread.</summary>
    public Action? Redraw { get; set; }

    public Action? Quit { get; set; }

    public bool ReadOnly { get; private set; }

    private Page Current => _pages.Peek();

    public static IEnumerable<string> KindNames(FluxKind kind) =>
        new[] { kind.Kind.ToLowerInvariant(), kind.Resource.Plural, kind.Noun }.Concat(kind.Served.Descriptor.ShortNames).Distinct();

    private static readonly string[] Builtins = ["all", "clear", "events", "ev", "pulse", "dashboard", "logs", "readonly", "help", "ns", "q", "q!", "quit", "exit"];

    public static IEnumerable<string> Commands() => Builtins.Concat(FluxKind.All.SelectMany(KindNames)).Distinct();

    // ---------------------------------------------------------------- keys

    public bool HandleKey(string key)
    {
        if (_confirmDelete is { } target)
        {
            _confirmDelete = null;
            if (key is "y" or "Y")
            {
                _ = _actions.DeleteAsync(target);
            }
            else
            {
                Say("✗ delete cancelled");
            }

            return true;
        }

        if (_prompt is not null)
        {
            return PromptKey(key);
        }

        if (key is "q" or "Ctrl+C")
        {
            Quit?.Invoke();
            return true;
        }

        return Current is ListPage list ? ListKey(list, key) : TextKey((TextPage)Current, key);
    }

    private bool PromptKey(string key)
    {
        switch (key)
        {
            case "Esc":
                _prompt = null;
                _input = "";
                return true;
            case "Backspace":
                _input = _input.Length > 0 ? _input[..^1] : _input;
                return true;
            case "Tab" when _prompt == ':':
                Complete();
                return true;
            case "Enter":
                var (prompt, input) = (_prompt, _input.Trim());
                _prompt = null;
                _input = "";
                if (prompt == ':')
                {
                    Execute(input);
                }
                else
                {
                    ApplySearch(input);
                }

                return true;
            default:
                if (key.Length == 1)
                {
                    _input += key;
                    if (_prompt == '/' && Current is ListPage live)
                    {
                        live.Filter = _input;
                        live.Cursor = 0;
                    }
                }

                return true;
        }
    }

    private void ApplySearch(string text)
    {
        switch (Current)
        {
            case ListPage list:
                list.Filter = text;
                list.Cursor = 0;
                break;
            case TextPage page:
                page.Search = text;
                page.Top--;
                page.FindNext(backwards: false);
                break;
        }
    }

    private void Complete()
    {
        var matches = Commands().Where(c => c.StartsWith(_input, StringComparison.OrdinalIgnoreCase)).OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).ToList();
        if (matches.Count == 0)
        {
            return;
        }

        var common = matches.Aggregate((a, b) => new string(a.Zip(b).TakeWhile(p => p.First == p.Second).Select(p => p.First).ToArray()));
        _input = matches.Count == 1 ? matches[0] : common.Length > _input.Length ? common : _input;
        if (matches.Count > 1)
        {
            Say(string.Join(" ", matches.Take(12)));
        }
    }

    private void Execute(string command)
    {
        var parts = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var verb = parts.FirstOrDefault() ?? "";
        switch (verb)
        {
            case "":
                return;
            case "q" or "q!" or "quit" or "exit":
                Quit?.Invoke();
                return;
            case "all" or "clear":
                _pages.Clear();
                _pages.Push(new ListPage(null));
                return;
            case "readonly":
                ReadOnly = !ReadOnly;
                Say(ReadOnly ? "✔ read-only: actions are off" : "✔ read-write: R W s r Ctrl+d are on");
                return;
            case "help":
                _pages.Push(Help());
                return;
            case "events" or "ev":
                _events.Start(_watch.Namespace);
                _pages.Push(new TextPage("events", () => _events.Render(DateTimeOffset.UtcNow)));
                return;
            case "pulse" or "dashboard":
                _pages.Push(new TextPage("pulse", Pulse));
                return;
            case "logs":
                _pages.Push(new TextPage("logs", () => ControllerLogs.Tail(_logFile, 500)));
                return;
            case "ns":
                var ns = parts.ElementAtOrDefault(1);
                _ = _watch.RescopeAsync(ns is null or "all" ? null : ns);
                return;
        }

        if (FluxKind.All.FirstOrDefault(k => KindNames(k).Contains(verb, StringComparer.OrdinalIgnoreCase)) is { } kind)
        {
            _pages.Push(new ListPage(kind));
            return;
        }

        Say($"✗ unknown command: {verb} (Tab completes, ? shows the keys)");
    }

    private bool ListKey(ListPage list, string key)
    {
        var rows = Rows(list);
        var selected = rows.ElementAtOrDefault(list.Cursor);
        switch (key)
        {
            case "j" or "Down":
                list.Cursor = Math.Min(list.Cursor + 1, Math.Max(0, rows.Count - 1));
                return true;
            case "k" or "Up":
                list.Cursor = Math.Max(0, list.Cursor - 1);
                return true;
            case "PgDn" or "Ctrl+F":
                list.Cursor = Math.Min(list.Cursor + PageSize, Math.Max(0, rows.Count - 1));
                return true;
            case "PgUp" or "Ctrl+B":
                list.Cursor = Math.Max(0, list.Cursor - PageSize);
                return true;
            case "Home":
                list.Cursor = 0;
                return true;
            case "End":
                list.Cursor = Math.Max(0, rows.Count - 1);
                return true;
            case ":" or "/":
                _prompt = key[0];
                _input = key == "/" ? list.Filter : "";
                return true;
            case "N":
                list.SortBy(SortKey.Name);
                return true;
            case "A":
                list.SortBy(SortKey.Age);
                return true;
            case "S":
                list.SortBy(SortKey.Status);
                return true;
            case "?":
                _pages.Push(Help());
                return true;
            case "Esc":
                if (list.Filter.Length > 0)
                {
                    list.Filter = "";
                }
                else if (_pages.Count > 1)
                {
                    _pages.Pop();
                }

                return true;
            case [var digit] when char.IsAsciiDigit(digit):
                Hotkey(list, digit - '0');
                return true;
        }

        if (selected is null)
        {
            return false;
        }

        var row = _watch.Row(selected.Kind, selected.Key) ?? selected;
        switch (key)
        {
            case "Enter":
                _pages.Push(new TextPage($"{row.Kind.Kind} {row.Status.Namespace}/{row.Status.Name}",
                    () => ObjectViews.Details(Fresh(row), _verdicts.Answers(DateTimeOffset.UtcNow))));
                return true;
            case "y":
                _pages.Push(new TextPage($"yaml {row.Status.Name}", () => ObjectViews.Yaml(Fresh(row).Object)));
                return true;
            case "d":
                _pages.Push(Load($"describe {row.Status.Name}", () => _views.DescribeAsync(Fresh(row).Object, CancellationToken.None)));
                return true;
            case "h":
                _pages.Push(new TextPage($"history {row.Status.Name}", () => ObjectViews.History(Fresh(row).Object)));
                return true;
            case "t":
                _pages.Push(Load($"trace {row.Status.Name}", () => _views.TraceAsync(row, CancellationToken.None)));
                return true;
            case "g":
                _pages.Push(Load($"graph {row.Status.Name}", () => _views.GraphAsync(row, CancellationToken.None)));
                return true;
            case "R" or "W" or "s" or "r" or "Ctrl+D":
                Act(row, key);
                return true;
        }

        return false;
    }

    private void Act(FluxRow row, string key)
    {
        var name = key switch
        {
            "R" => "reconcile",
            "W" => "reconcile with source",
            "s" => "suspend",
            "r" => "resume",
            _ => "delete",
        };
        if (ReadOnly)
        {
            Say($"✗ read-only mode: {key} ({name}) is refused; :readonly turns read-only off");
            return;
        }

        switch (key)
        {
            case "R" or "W":
                _ = _actions.ReconcileAsync(row, withSource: key == "W");
                break;
            case "s" or "r":
                _ = _actions.SuspendAsync(row, suspend: key == "s");
                break;
            default:
                _confirmDelete = row;
                break;
        }
    }

    private void Hotkey(ListPage list, int index)
    {
        var namespaces = Namespaces();
        if (index == 0)
        {
            list.NamespaceFilter = null;
            if (_watch.Namespace is not null)
            {
                _ = _watch.RescopeAsync(null);
            }
        }
        else if (namespaces.ElementAtOrDefault(index - 1) is { } ns)
        {
            if (_watch.Namespace is null)
            {
                list.NamespaceFilter = ns;
            }
            else
            {
                _ = _watch.RescopeAsync(ns);
            }
        }

        list.Cursor = 0;
    }

    /// <summary>The namespaces the 1–9 hotkeys pick: the watched one, then every namespace with Flux objects.</summary>
    private List<string> Namespaces() =>
        [.. new[] { _watch.Namespace }.OfType<string>().Concat(_watch.Rows().Select(r => r.Status.Namespace).Order(StringComparer.Ordinal)).Distinct().Take(9)];

    private bool TextKey(TextPage page, string key)
    {
        switch (key)
        {
            case "j" or "Down":
                page.Top++;
                return true;
            case "k" or "Up":
                page.Top = Math.Max(0, page.Top - 1);
                return true;
            case "PgDn" or "Ctrl+F":
                page.Top += PageSize;
                return true;
            case "PgUp" or "Ctrl+B":
                page.Top = Math.Max(0, page.Top - PageSize);
                return true;
            case "Home":
                page.Top = 0;
                return true;
            case "/" or ":":
                _prompt = key[0];
                _input = "";
                return true;
            case "n":
                page.FindNext(backwards: false);
                return true;
            case "N":
                page.FindNext(backwards: true);
                return true;
            case "?":
                _pages.Push(Help());
                return true;
            case "Esc":
                if (page.Search.Length > 0)
                {
                    page.Search = "";
                }
                else
                {
                    _pages.Pop();
                }

                return true;
        }

        return false;
    }

    private TextPage Load(string title, Func<Task<IReadOnlyList<StyledLine>>> load) => TextPage.Loading(title, load, () => Redraw?.Invoke());

    private FluxRow Fresh(FluxRow row) => _watch.Row(row.Kind, row.Key) ?? row;

    private void Say(string line)
    {
        lock (_outcomeGate)
        {
            _outcome.Add(line);
        }
    }

    private int PageSize { get; set; } = 20;

    // ---------------------------------------------------------------- screen

    private List<FluxRow> Rows(ListPage list) => list.Arrange(_watch.Rows(list.Kind));

    /// <summary>The whole screen, exactly <paramref name="height"/> lines.</summary>
    public List<StyledLine> Render(int width, int height)
    {
        var now = DateTimeOffset.UtcNow;
        var top = new List<StyledLine> { Header() };
        var degraded = _watch.Degraded.ToList();
        if (degraded.Count > 0)
        {
            top.Add(StyledLine.Of($"⚠ Watch degraded ({degraded.Count}) — data may be stale, reconnecting...", Tone.Banner));
        }

        var bottom = new List<StyledLine>();
        if (Current is ListPage)
        {
            var answers = _verdicts.Answers(now);
            if (answers.Count > 0)
            {
                bottom.Add(StyledLine.Of("── apps: is the newest version live? " + new string('─', Math.Max(0, width - 38)), Tone.Dim));
                bottom.AddRange(answers.SelectMany(a => ObjectViews.VerdictLines(a.App, a.Answer)).Take(Math.Max(2, height / 3)));
            }
        }

        lock (_outcomeGate)
        {
            bottom.AddRange(_outcome.TakeLast(OutcomeLines).Select(l => StyledLine.Of(l, l.StartsWith('✗') ? Tone.Bad : l.StartsWith('✔') ? Tone.Ok : Tone.Normal)));
        }

        bottom.Add(Footer());
        var bodyHeight = Math.Max(1, height - top.Count - bottom.Count);
        PageSize = Math.Max(1, bodyHeight - 2);
        var body = Current switch
        {
            ListPage list => ListBody(list, width, bodyHeight, now),
            TextPage page => TextBody(page, bodyHeight),
            _ => [],
        };
        var screen = top.Concat(body.Take(bodyHeight)).ToList();
        while (screen.Count < height - bottom.Count)
        {
            screen.Add(StyledLine.Of(""));
        }

        screen.AddRange(bottom);
        return [.. screen.Take(height)];
    }

    private StyledLine Header()
    {
        var rows = _watch.Rows();
        var ready = rows.Count(r => r.Severity == 0);
        var failed = rows.Count(r => r.Severity == 3);
        return new([
            new Span(" weir ui ", Tone.Header),
            new Span($" context: {_context}  namespace: {_watch.Namespace ?? "all"}  "),
            new Span(ReadOnly ? "[read-only]" : "[read-write]", ReadOnly ? Tone.Dim : Tone.Warn),
            new Span($"  objects: {rows.Count}  "),
            new Span($"● {ready}", Tone.Ok),
            new Span("  "),
            new Span($"✗ {failed}", failed > 0 ? Tone.Bad : Tone.Dim),
            new Span($"   {Breadcrumbs()}", Tone.Dim),
        ]);
    }

    private string Breadcrumbs() => string.Join(" > ", _pages.Reverse().Select(p => p.Title));

    private StyledLine Footer()
    {
        if (_confirmDelete is { } target)
        {
            return StyledLine.Of($"Delete {target.Kind.Kind} {target.Status.Namespace}/{target.Status.Name}? (y/n)", Tone.Banner);
        }

        if (_prompt is { } prompt)
        {
            return StyledLine.Of($"{prompt}{_input}█", Tone.Header);
        }

        return StyledLine.Of(Current is ListPage
            ? "<enter> details  <y> yaml  <d> describe  <h> history  <t> trace  <g> graph  </> filter  <:> command  <R> reconcile  <W> with source  <s/r> suspend/resume  <?> help  <q> quit"
            : "<j/k> scroll  </> search  <n/N> next/prev  <esc> back  <?> help  <q> quit", Tone.Dim);
    }

    private List<StyledLine> ListBody(ListPage list, int width, int height, DateTimeOffset now)
    {
        var lines = new List<StyledLine>();
        var kinds = _watch.Kinds.Where(k => list.Kind is null || k.Kind == list.Kind).ToList();
        foreach (var forbidden in kinds.Where(k => k.Forbidden))
        {
            lines.Add(StyledLine.Of($"🔒 {forbidden.ForbiddenNotice(_watch.Namespace)}", Tone.Warn));
        }

        var rows = Rows(list);
        list.Cursor = Math.Clamp(list.Cursor, 0, Math.Max(0, rows.Count - 1));
        var total = _watch.Rows(list.Kind).Count;
        var sort = list.Sort == SortKey.Kind ? "" : $"  sort: {list.Sort.ToString().ToLowerInvariant()} {(list.Descending ? "↓" : "↑")}";
        var filter = list.Filter.Length > 0 ? $"  filter: /{list.Filter}" : "";
        var scope = list.NamespaceFilter is { } nsFilter ? $"  namespace: {nsFilter}" : "";
        lines.Add(StyledLine.Of($"── {list.Title} [{rows.Count}/{total}]{filter}{scope}{sort} " + new string('─', 10), Tone.Header));
        if (rows.Count == 0)
        {
            var syncing = kinds.Any(k => !k.Synced && !k.Forbidden && !k.Missing);
            if (!kinds.All(k => k.Forbidden))
            {
                lines.Add(StyledLine.Of(syncing ? "loading…" : $"no {list.Title} objects{(list.Filter.Length > 0 ? $" matching /{list.Filter}" : "")}", Tone.Dim));
            }

            return lines;
        }

        var cells = rows.Select(r => r.Cells(now)).ToList();
        int[] caps = [1, 20, 32, 16, 9, 7, 6, 70, 48];
        var widths = FluxRow.Columns.Select((h, i) => Math.Min(caps[i], Math.Max(h.Length, cells.Max(c => c[i].Length)))).ToArray();
        string Format(string[] row) => string.Join("  ", row.Select((c, i) => Fit(c, widths[i])));
        lines.Add(StyledLine.Of(" " + Format([" ", .. FluxRow.Columns[1..]]), Tone.Header));
        var visible = Math.Max(1, height - lines.Count);
        if (list.Cursor < list.Top)
        {
            list.Top = list.Cursor;
        }
        else if (list.Cursor >= list.Top + visible)
        {
            list.Top = list.Cursor - visible + 1;
        }

        list.Top = Math.Clamp(list.Top, 0, Math.Max(0, rows.Count - visible));
        for (var i = list.Top; i < Math.Min(rows.Count, list.Top + visible); i++)
        {
            var (glyph, tone) = rows[i].Glyph;
            var text = Format(cells[i])[widths[0]..];
            lines.Add(i == list.Cursor
                ? new([new Span(" "), new Span(glyph, tone), new Span(text.PadRight(Math.Max(0, width - 3)), Tone.Selected)])
                : new([new Span(" "), new Span(glyph, tone), new Span(text, rows[i].Severity == 3 ? Tone.Bad : Tone.Normal)]));
        }

        return lines;
    }

    private static string Fit(string text, int width) =>
        text.Length > width ? text[..Math.Max(0, width - 1)] + "…" : text.PadRight(width);

    private List<StyledLine> TextBody(TextPage page, int height)
    {
        var all = page.Lines();
        page.Top = Math.Clamp(page.Top, 0, Math.Max(0, all.Count - 1));
        var search = page.Search.Length > 0 ? $"  search: /{page.Search}" : "";
        var lines = new List<StyledLine> { StyledLine.Of($"── {page.Title}{search} " + new string('─', 10), Tone.Header) };
        foreach (var line in all.Skip(page.Top).Take(height - 1))
        {
            lines.Add(page.Search.Length > 0 && line.Text.Contains(page.Search, StringComparison.OrdinalIgnoreCase) ? StyledLine.Of(line.Text, Tone.Match) : line);
        }

        return lines;
    }

    private IReadOnlyList<StyledLine> Pulse()
    {
        var rows = _watch.Rows();
        var lines = new List<StyledLine>
        {
            new([new Span($"ready {rows.Count(r => r.Severity == 0)}", Tone.Ok), new Span("   "),
                new Span($"failed {rows.Count(r => r.Severity == 3)}", Tone.Bad), new Span("   "),
                new Span($"suspended {rows.Count(r => r.Status.Suspended)}", Tone.Warn), new Span($"   total {rows.Count}")]),
            StyledLine.Of(""),
        };
        var perKind = FluxKind.All.Select(k => rows.Where(r => r.Kind == k).ToList()).Where(g => g.Count > 0)
            .Select(g => new[] { g[0].Kind.Kind, g.Count(r => r.Severity == 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
                g.Count(r => r.Severity == 3).ToString(System.Globalization.CultureInfo.InvariantCulture),
                g.Count(r => r.Status.Suspended).ToString(System.Globalization.CultureInfo.InvariantCulture),
                g.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ToList();
        lines.AddRange(ObjectViews.Table(["KIND", "READY", "FAILED", "SUSPENDED", "TOTAL"], perKind, "", r => r[2] == "0" ? Tone.Normal : Tone.Bad));
        lines.Add(StyledLine.Of(""));
        lines.Add(StyledLine.Of("Most recent failures:", Tone.Header));
        var failures = rows.Where(r => r.Severity == 3).OrderByDescending(r => r.Status.LastReconciled ?? DateTimeOffset.MinValue).Take(10).ToList();
        lines.AddRange(failures.Count == 0
            ? [StyledLine.Of("  none", Tone.Dim)]
            : failures.Select(r => StyledLine.Of($"  ✗ {r.Kind.Kind} {r.Status.Namespace}/{r.Status.Name}: {FluxStatus.TruncateHex(r.Status.Message)}", Tone.Bad)));
        return lines;
    }

    private static TextPage Help() => new("help", () => ObjectViews.Plain("""
        Views        :all  :ks :hr :oci :git :helmrepo :chart :bucket (any kind name, plural or short name; Tab completes)
                     :events  :pulse  :logs  :help  :ns NAME|all  :readonly (toggles actions)  :q quit
        Navigation   j/k ↑/↓  PgUp/PgDn  Home/End  Esc back  q quit  0 all namespaces, 1–9 namespace hotkeys
        Object       Enter details  y YAML  d describe (conditions, events)  h history  t trace  g graph
        Lists        / filter by name  Shift+N name  Shift+A age  Shift+S status (problems first); again reverses
        Text         / search  n/N next/previous match
        Actions      R reconcile  W reconcile with source  s suspend  r resume  Ctrl+d delete (asks first)
                     read-only by default: :readonly turns actions on
        STATUS       ● ready  ◎ reconciling  ⏸ suspended  ✗ not ready
        Apps panel   weir status's verdict per OCIRepository: live, pending (next poll in …), blocked, failed, and the chain
        """));
}
