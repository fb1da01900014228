using System.Collections.Concurrent;
using System.Text;
using Weir.Templates.Execution;
using Weir.Templates.Formatting;
using Weir.Templates.Functions;
using Weir.Templates.Parsing;
using Weir.Templates.Values;

namespace Weir.Templates;

/// <summary>
/// Parses template text once against a fixed function table and options. A set is immutable once built and
/// safe to execute from many threads; each execution has its own state.
/// </summary>
public sealed class TemplateEngine
{
    public TemplateEngine(FunctionTable functions, TemplateOptions? options = null)
    {
        Functions = functions;
        Options = options ?? TemplateOptions.Default;
    }

    public FunctionTable Functions { get; }

    public TemplateOptions Options { get; }

    /// <summary>A set holding one text (and the templates it defines), executable under <paramref name="name"/>.</summary>
    public TemplateSet Parse(string name, string text) => NewSet(name).Add(name, text).Build();

    /// <summary>Collects several texts into one namespace, as Helm parses all of a chart's templates together.</summary>
    public TemplateSetBuilder NewSet(string rootName) => new(this, rootName);
}

/// <summary>Adds texts to a template namespace with Go's rules: a later non-empty definition replaces an earlier one.</summary>
public sealed class TemplateSetBuilder
{
    private readonly TemplateEngine engine;
    private readonly string rootName;
    private readonly Dictionary<string, ParsedTree> trees = new(StringComparer.Ordinal);

    internal TemplateSetBuilder(TemplateEngine engine, string rootName)
    {
        this.engine = engine;
        this.rootName = rootName;
    }

    /// <summary>Parses <paramref name="text"/> as the template <paramref name="name"/>; throws <see cref="TemplateException"/> on a syntax error.</summary>
    public TemplateSetBuilder Add(string name, string text)
    {
        foreach (var (n, tree) in Parser.Parse(name, text, engine.Functions))
        {
            if (trees.TryGetValue(n, out var old) && tree.IsEmpty && !old.IsEmpty)
            {
                continue;
            }

            trees[n] = tree;
        }

        return this;
    }

    public TemplateSet Build() => new(engine, rootName, new Dictionary<string, ParsedTree>(trees, StringComparer.Ordinal));
}

/// <summary>Parsed templates ready to execute.</summary>
public sealed class TemplateSet
{
    private const int TpLCacheLimit = 4096;

    [ThreadStatic]
    private static StringBuilder? cachedBuilder;

    private readonly TemplateEngine engine;
    private readonly Dictionary<string, ParsedTree> trees;
    private readonly ConcurrentDictionary<(string Name, string Text), Dictionary<string, ParsedTree>> tplCache = new();

    internal TemplateSet(TemplateEngine engine, string rootName, Dictionary<string, ParsedTree> trees)
    {
        this.engine = engine;
        RootName = rootName;
        this.trees = trees;
    }

    public string RootName { get; }

    public TemplateOptions Options => engine.Options;

    public IEnumerable<string> Names => trees.Keys;

    public bool Contains(string name) => trees.ContainsKey(name);

    internal ParsedTree? Find(string name) => trees.TryGetValue(name, out var t) ? t : null;

    /// <summary>Executes the root template.</summary>
    public string Execute(Value data) => Execute(RootName, data);

    /// <summary>Executes a named template and returns its output (with Helm's <c>&lt;no value&gt;</c> removal when the options ask for it).</summary>
    public string Execute(string name, Value data)
    {
        var sb = cachedBuilder ?? new StringBuilder(1024);
        cachedBuilder = null;
        sb.Clear();
        try
        {
            Execute(name, data, sb);
            return sb.ToString();
        }
        finally
        {
            if (sb.Capacity <= 1024 * 1024)
            {
                sb.Clear();
                cachedBuilder = sb;
            }
        }
    }

    /// <summary>Executes a named template, appending its output to <paramref name="output"/>.</summary>
    public void Execute(string name, Value data, StringBuilder output)
    {
        var tree = Find(name) ?? throw new TemplateException($"template: no template {GoQuote.Quote(name)} associated with template {GoQuote.Quote(RootName)}");
        var start = output.Length;
        var executor = Executor.Rent(this, output);
        try
        {
            executor.Run(tree, data);
        }
        catch (TemplateException)
        {
            output.Length = start;
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            output.Length = start;
            throw new TemplateException($"template: {name}: {e.Message}", e);
        }
        finally
        {
            executor.Release();
        }

        if (Options.RemoveNoValue)
        {
            output.Replace("<no value>", "", start, output.Length - start);
        }

        Utf8.ToText(output, start);
    }

    internal Dictionary<string, ParsedTree> ParseTpl(string name, string text)
    {
        if (tplCache.TryGetValue((name, text), out var cached))
        {
            return cached;
        }

        var parsed = Parser.Parse(name, text, engine.Functions);
        if (tplCache.Count < TpLCacheLimit)
        {
            tplCache.TryAdd((name, text), parsed);
        }

        return parsed;
    }
}
