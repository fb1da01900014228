using System.Text.RegularExpressions;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>What <c>.Capabilities</c> tells a chart about the cluster: its Kubernetes version, its API versions, and Helm's version.</summary>
public sealed partial record Capabilities
{
    /// <summary>The Kubernetes version Helm assumes without a cluster (Helm 4.2 derives it from its client-go, v0.36).</summary>
    public const string DefaultKubeVersion = "v1.36.0";

    public const string HelmVersion = "v4.2.0";

    private static readonly GoType CapabilitiesType = new("*common.Capabilities", GoKind.Pointer);
    private static readonly GoType BuildInfoType = new("version.BuildInfo", GoKind.Struct);
    private static readonly GoType VersionSetType = CreateVersionSetType();
    private static readonly GoType KubeVersionType = CreateKubeVersionType();

    public static Capabilities Default { get; } = new() { KubeVersion = KubeVersion.Parse(DefaultKubeVersion) };

    public required KubeVersion KubeVersion { get; init; }

    /// <summary>Group/versions (and <c>group/version/Kind</c> entries) the cluster serves.</summary>
    public IReadOnlyList<string> ApiVersions { get; init; } = BuiltinApiVersions.All;

    /// <summary>These capabilities with extra API versions (Helm's <c>--api-versions</c>, added after the default set).</summary>
    public Capabilities WithExtraApiVersions(IEnumerable<string> extra) => this with { ApiVersions = [.. ApiVersions, .. extra] };

    /// <summary>The template value of <c>.Capabilities</c>.</summary>
    public Value ToValue()
    {
        var kube = new GoStruct(
            KubeVersionType,
            new("Version", Value.String(KubeVersion.Version)),
            new("Major", Value.String(KubeVersion.Major)),
            new("Minor", Value.String(KubeVersion.Minor)));
        var helm = new GoStruct(
            BuildInfoType,
            new("Version", Value.String(HelmVersion)),
            new("GitCommit", Value.EmptyString),
            new("GitTreeState", Value.EmptyString),
            new("GoVersion", Value.String("go1.25.0")));
        var versions = new GoList(VersionSetType, ApiVersions.Select(Value.String).ToArray());
        return Value.Object(new GoStruct(
            CapabilitiesType,
            new("KubeVersion", Value.Object(new KubeVersionObject(kube, KubeVersion.Normalized))),
            new("APIVersions", Value.List(versions)),
            new("HelmVersion", Value.Object(helm))));
    }

    private static GoType CreateVersionSetType()
    {
        var t = new GoType("common.VersionSet", GoKind.Slice, GoType.String);
        t.WithMethod("Has", new GoMethod(new TemplateFunction("Has", [GoType.String], static (_, a) =>
        {
            var wanted = a[1].AsString;
            foreach (var v in a[0].AsList.AsSpan())
            {
                if (v.IsString && v.AsString == wanted)
                {
                    return Value.True;
                }
            }

            return Value.False;
        })));
        return t;
    }

    private static GoType CreateKubeVersionType()
    {
        var t = new GoType("common.KubeVersion", GoKind.Struct) { Stringer = v => ((KubeVersionObject)v.AsObject).Normalized };
        t.WithMethod("String", new GoMethod(new TemplateFunction("String", [], static (_, a) => Value.String(((KubeVersionObject)a[0].AsObject).Normalized))));
        t.WithMethod("GitVersion", new GoMethod(new TemplateFunction("GitVersion", [], static (_, a) =>
            ((KubeVersionObject)a[0].AsObject).TryGetField("Version", out var v) ? v : Value.EmptyString)));
        return t;
    }

    // KubeVersion's fields, plus the normalised version its String method prints.
    private sealed class KubeVersionObject(GoStruct fields, string normalized) : GoObject(KubeVersionType)
    {
        public string Normalized { get; } = normalized;

        public override IReadOnlyList<KeyValuePair<string, Value>> Fields => fields.Fields;

        public override bool TryGetField(string name, out Value value) => fields.TryGetField(name, out value);
    }
}

/// <summary>A Kubernetes version as Helm parses <c>--kube-version</c> (k8s' generic version rules).</summary>
public sealed partial record KubeVersion(string Version, string Normalized, string Major, string Minor)
{
    /// <exception cref="FormatException">Not a version.</exception>
    public static KubeVersion Parse(string text)
    {
        var m = GenericVersion().Match(text);
        if (!m.Success)
        {
            throw new FormatException($"could not parse \"{text}\" as version");
        }

        var parts = m.Groups[1].Value.Split('.');
        if (parts.Length < 2)
        {
            throw new FormatException($"illegal version string \"{text}\"");
        }

        var numbers = parts.Select(p => ulong.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var version = text.StartsWith('v') ? text : "v" + text;
        return new KubeVersion(version, "v" + string.Join('.', numbers), numbers[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            numbers[1].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override string ToString() => Normalized;

    [GeneratedRegex(@"^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$")]
    private static partial Regex GenericVersion();
}
