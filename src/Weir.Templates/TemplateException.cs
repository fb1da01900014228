namespace Weir.Templates;

/// <summary>A template failed to parse or to execute. The message is Go's, e.g.
/// <c>template: NAME:3:7: executing "NAME" at &lt;.Values.x&gt;: ...</c>.</summary>
public class TemplateException : Exception
{
    public TemplateException(string message)
        : base(Values.Utf8.ToText(message))
    {
    }

    public TemplateException(string message, Exception inner)
        : base(Values.Utf8.ToText(message), inner)
    {
    }
}

/// <summary>A function (or a Go rule applied inside one) failed; the evaluator adds the template location.</summary>
public sealed class TemplateFunctionException : Exception
{
    public TemplateFunctionException(string message)
        : base(message)
    {
    }
}

/// <summary>A limit (output size, evaluation steps, recursion depth) stopped a template.</summary>
public sealed class TemplateLimitException : TemplateException
{
    public TemplateLimitException(string message)
        : base(message)
    {
    }
}
