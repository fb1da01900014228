using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Weir.Cluster.Api;

/// <summary>Which name syntax a kind demands.</summary>
public enum NameRule
{
    /// <summary>RFC 1123 subdomain (most kinds).</summary>
    Subdomain,

    /// <summary>RFC 1123 label (Namespace).</summary>
    Label,

    /// <summary>RFC 1035 label (Service).</summary>
    Dns1035Label,

    /// <summary>Any path segment (RBAC kinds).</summary>
    PathSegment,
}

/// <summary>Kubernetes' metadata validation: names, label keys and values, with the API server's messages.</summary>
public static partial class NameRules
{
    private const string SubdomainRegex = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
    private const string LabelRegex = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1035Regex = "[a-z]([-a-z0-9]*[a-z0-9])?";

    [GeneratedRegex("^" + SubdomainRegex + "$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^" + LabelRegex + "$")]
    private static partial Regex Label();

    [GeneratedRegex("^" + Dns1035Regex + "$")]
    private static partial Regex Dns1035();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    /// <summary>Messages explaining why a name fails a rule (empty when valid).</summary>
    public static List<string> Check(string name, NameRule rule)
    {
        var errors = new List<string>();
        switch (rule)
        {
            case NameRule.Subdomain:
                if (name.Length > 253)
                {
                    errors.Add("must be no more than 253 characters");
                }
                if (!Subdomain().IsMatch(name))
                {
                    errors.Add($"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '{SubdomainRegex}')");
                }
                break;
            case NameRule.Label:
                if (name.Length > 63)
                {
                    errors.Add("must be no more than 63 characters");
                }
                if (!Label().IsMatch(name))
                {
                    errors.Add($"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '{LabelRegex}')");
                }
                break;
            case NameRule.Dns1035Label:
                if (name.Length > 63)
                {
                    errors.Add("must be no more than 63 characters");
                }
                if (!Dns1035().IsMatch(name))
                {
                    errors.Add($"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '{Dns1035Regex}')");
                }
                break;
            case NameRule.PathSegment:
                if (name is "." or "..")
                {
                    errors.Add($"may not be '{name}'");
                }
                if (name.Contains('/') || name.Contains('%'))
                {
                    errors.Add("may not contain '/' or '%'");
                }
                break;
        }
        return errors;
    }

    /// <summary>Validates <c>metadata.labels</c> keys and values.</summary>
    public static IEnumerable<FieldError> CheckLabels(JsonObject? labels, string field = "metadata.labels")
    {
        if (labels is null)
        {
            yield break;
        }
        foreach (var (key, value) in labels)
        {
            if (!ValidQualifiedKey(key))
            {
                yield return FieldError.Invalid(field, key, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
            }
            if (value is not JsonValue v || !v.TryGetValue<string>(out var s))
            {
                continue;
            }
            if (s.Length > 63)
            {
                yield return FieldError.Invalid(field, s, "must be no more than 63 characters");
            }
            else if (!LabelValue().IsMatch(s))
            {
                yield return FieldError.Invalid(field, s, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
            }
        }
    }

    public static bool ValidQualifiedKey(string key)
    {
        var slash = key.IndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length == 0 || prefix.Length > 253 || !Subdomain().IsMatch(prefix))
            {
                return false;
            }
        }
        return name.Length is > 0 and <= 63 && QualifiedName().IsMatch(name);
    }
}
