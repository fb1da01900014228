using Weir.Templates.Values;

namespace Weir.Templates;

/// <summary>What a function body may ask of the running template.</summary>
public abstract class ExecutionContext
{
    public abstract TemplateOptions Options { get; }

    /// <summary>The name of the template being executed.</summary>
    public abstract string TemplateName { get; }

    /// <summary>Helm's include: executes a named template into a string.</summary>
    public abstract string Include(string name, Value data);

    /// <summary>Helm's tpl: parses text as a template in the current set and executes it.</summary>
    public abstract string Tpl(string text, Value data);

    /// <summary>Fails when a function is about to build a string longer than the output limit.</summary>
    public void CheckStringSize(long chars)
    {
        if (chars > Options.MaxOutputChars)
        {
            throw new TemplateFunctionException($"result too large: {chars} characters exceeds the limit of {Options.MaxOutputChars}");
        }
    }

    /// <summary>Fails when a function is about to build a collection longer than the limit.</summary>
    public void CheckCollectionSize(long count)
    {
        if (count > Options.MaxCollectionLength)
        {
            throw new TemplateFunctionException($"result too large: {count} elements exceeds the limit of {Options.MaxCollectionLength}");
        }
    }
}
