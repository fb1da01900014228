namespace Weir.Core.Api.Schema;

// Attributes that carry OpenAPI constraints from the C# API types into the CRD schemas
// (read by ApiSchemaGenerator); the API server enforces them from the generated CRDs.

/// <summary>The field must be present.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredFieldAttribute : Attribute;

/// <summary>The string must match this ECMA-262 regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>The field takes one of these values (for arrays: each item does).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>Bounds on a string's length.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute : Attribute
{
    public int Min { get; init; } = -1;

    public int Max { get; init; } = -1;
}

/// <summary>Bounds on the number of items of a list.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute : Attribute
{
    public int Min { get; init; } = -1;

    public int Max { get; init; } = -1;
}

/// <summary>Lower bound of an integer.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long minimum) : Attribute
{
    public long Minimum { get; } = minimum;
}

/// <summary>The value the API server fills in when the field is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}

/// <summary>The field holds arbitrary JSON (<c>x-kubernetes-preserve-unknown-fields</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FreeFormAttribute : Attribute;

/// <summary>A CEL rule checked by the API server on this type (<c>x-kubernetes-validations</c>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;
}
