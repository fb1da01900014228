using Weir.Templates.Values;

namespace Weir.Helm.Values;

/// <summary>
/// The values a user gives a release, as Helm's <c>-f</c>, <c>--set-json</c>, <c>--set</c>, <c>--set-string</c>,
/// <c>--set-file</c> and <c>--set-literal</c> flags, combined in that order (files merged map by map, each later one winning).
/// </summary>
public sealed record ValueOptions
{
    public IReadOnlyList<string> ValueFiles { get; init; } = [];

    public IReadOnlyList<string> JsonValues { get; init; } = [];

    public IReadOnlyList<string> Values { get; init; } = [];

    public IReadOnlyList<string> StringValues { get; init; } = [];

    public IReadOnlyList<string> FileValues { get; init; } = [];

    public IReadOnlyList<string> LiteralValues { get; init; } = [];

    /// <summary>The combined values; relative paths are read from <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="ValuesException">A file is missing or invalid, or an expression is malformed.</exception>
    public GoMap Merge(string baseDirectory)
    {
        var result = new GoMap();
        foreach (var file in ValueFiles)
        {
            GoMap current;
            try
            {
                current = ValuesReader.Read(File.ReadAllBytes(Path.Combine(baseDirectory, file)));
            }
            catch (IOException e)
            {
                throw new ValuesException($"open {file}: no such file or directory", e);
            }
            catch (ValuesException e)
            {
                throw new ValuesException($"failed to parse {file}: {e.Message}", e);
            }

            result = ValuesReader.Merge(result, current);
        }

        foreach (var expression in JsonValues)
        {
            Parse(expression, result, SetValueMode.Json, "failed parsing --set-json data");
        }

        foreach (var expression in Values)
        {
            Parse(expression, result, SetValueMode.Typed, "failed parsing --set data");
        }

        foreach (var expression in StringValues)
        {
            Parse(expression, result, SetValueMode.String, "failed parsing --set-string data");
        }

        foreach (var expression in FileValues)
        {
            try
            {
                SetValueParser.ParseInto(expression, result, SetValueMode.File, path =>
                    Value.String(ValuesReader.DecodeText(File.ReadAllBytes(Path.Combine(baseDirectory, path)))));
            }
            catch (Exception e) when (e is ValuesException or IOException)
            {
                throw new ValuesException("failed parsing --set-file data: " + e.Message, e);
            }
        }

        foreach (var expression in LiteralValues)
        {
            SetLiteral(expression, result);
        }

        return result;
    }

    private static void Parse(string expression, GoMap result, SetValueMode mode, string context)
    {
        try
        {
            SetValueParser.ParseInto(expression, result, mode);
        }
        catch (ValuesException e)
        {
            throw new ValuesException(context + ": " + e.Message, e);
        }
    }

    // --set-literal: the name is a dotted path, everything after the first '=' is the string value.
    private static void SetLiteral(string expression, GoMap result)
    {
        var eq = expression.IndexOf('=');
        if (eq < 0)
        {
            throw new ValuesException($"failed parsing --set-literal data: key {System.Text.Json.JsonSerializer.Serialize(expression)} has no value");
        }

        var parts = expression[..eq].Split('.');
        var table = result;
        foreach (var part in parts[..^1])
        {
            if (!table.TryGet(part, out var next) || !next.IsMap)
            {
                next = Value.Map(new GoMap());
                table.Set(part, next);
            }

            table = next.AsMap;
        }

        table.Set(parts[^1], Value.String(expression[(eq + 1)..]));
    }
}
