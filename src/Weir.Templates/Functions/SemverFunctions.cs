using Semver;
using Weir.Core.Versioning;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's semver and semverCompare on Masterminds' rules (the constraint implementation Weir.Core shares with Flux's semver policies).</summary>
internal static class SemverFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("semverCompare", [Str, Str], static (_, a) =>
        {
            if (!SemverConstraint.TryParse(a[0].AsString, out var constraint, out var error))
            {
                throw new TemplateFunctionException(error);
            }

            if (!LooseVersion.TryParse(a[1].AsString, out var version, out error))
            {
                throw new TemplateFunctionException(error);
            }

            return Value.Bool(constraint.Check(version));
        });
        b.Add("semver", [Str], static (_, a) =>
            LooseVersion.TryParse(a[0].AsString, out var v, out var error)
                ? Value.Object(new SemverVersion(v, a[0].AsString))
                : throw new TemplateFunctionException(error));
        return b.Functions;
    }
}

/// <summary>Masterminds' *semver.Version as templates see it: methods Major, Minor, Patch, Prerelease, Metadata, Original, String.</summary>
internal sealed class SemverVersion : GoObject, Formatting.IJsonMarshaler
{
    public static readonly GoType VersionType = CreateType();

    public SemverVersion(SemVersion version, string original)
        : base(VersionType)
    {
        Version = version;
        Original = original;
    }

    public SemVersion Version { get; }

    public string Original { get; }

    public override IReadOnlyList<KeyValuePair<string, Value>> Fields => [];

    public override bool TryGetField(string name, out Value value)
    {
        value = default;
        return false;
    }

    public override bool GoEquals(GoObject other) => ReferenceEquals(this, other);

    public string MarshalJson() => "\"" + Text + "\"";

    public string Text
    {
        get
        {
            var s = $"{Version.Major}.{Version.Minor}.{Version.Patch}";
            if (Version.Prerelease.Length > 0)
            {
                s += "-" + Version.Prerelease;
            }

            if (Version.Metadata.Length > 0)
            {
                s += "+" + Version.Metadata;
            }

            return s;
        }
    }

    private static GoType CreateType()
    {
        var t = new GoType("*semver.Version", GoKind.Pointer) { Stringer = v => ((SemverVersion)v.AsObject).Text };
        static SemverVersion Self(ReadOnlySpan<Value> a) => (SemverVersion)a[0].AsObject;
        Method(t, "Major", static (_, a) => Value.UInt64((ulong)Self(a).Version.Major));
        Method(t, "Minor", static (_, a) => Value.UInt64((ulong)Self(a).Version.Minor));
        Method(t, "Patch", static (_, a) => Value.UInt64((ulong)Self(a).Version.Patch));
        Method(t, "Prerelease", static (_, a) => Value.String(Self(a).Version.Prerelease));
        Method(t, "Metadata", static (_, a) => Value.String(Self(a).Version.Metadata));
        Method(t, "Original", static (_, a) => Value.String(Self(a).Original));
        Method(t, "String", static (_, a) => Value.String(Self(a).Text));
        return t;
    }

    private static void Method(GoType t, string name, TemplateFunctionBody body) =>
        t.WithMethod(name, new GoMethod(new TemplateFunction(name, [], body)));
}
