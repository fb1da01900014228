using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;

namespace Weir.Core.Tests.Api;

/// <summary>
/// Every field of Flux's CRDs exists in ours with the same type and constraints, so users' Flux manifests
/// validate unchanged against Weir's CRDs.
/// </summary>
public class CrdFieldCoverageTests
{
    /// <summary>
    /// Kinds Weir serves whose Flux CRD is not among the shared reference CRDs (notification-controller's and
    /// source-watcher's). Their schemas were checked against notification-controller v1.9.3's and source-watcher v2.2.1's;
    /// once the reference holds those CRDs, <see cref="KindsMissingFromTheReferenceAreExactlyTheKnownOnes"/> fails
    /// until they are removed here, and every test below covers them.
    /// </summary>
    private static readonly string[] NotInReference = ["ArtifactGenerator", "Alert", "Provider", "Receiver"];

    public static TheoryData<string> Kinds() => [.. CrdCatalog.Descriptors.Select(d => d.Kind).Except(NotInReference)];

    [Fact]
    public void KindsMissingFromTheReferenceAreExactlyTheKnownOnes()
    {
        var missing = CrdCatalog.Descriptors
            .Where(d => !File.Exists(Path.Combine(FluxCrdsDir(), $"{d.Group}_{d.Plural}.yaml")))
            .Select(d => d.Kind);
        Assert.Equal(NotInReference.Order(), missing.Order());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryReferenceFieldExistsWithTheSameShape(string kind)
    {
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        var reference = ReferenceSchema(descriptor);
        var ours = CrdCatalog.SchemaFor(descriptor.ApiVersion, kind)!;

        var problems = new List<string>();
        var checkedPaths = 0;
        foreach (var part in new[] { "spec", "status" })
        {
            if (reference["properties"]![part] is JsonObject theirs)
            {
                Compare(part, theirs, ours["properties"]![part] as JsonObject, problems, ref checkedPaths);
            }
            else if (ours["properties"]![part] is not null)
            {
                problems.Add($"{part}: absent in Flux, present in ours");
            }
        }

        Assert.True(problems.Count == 0,
            $"{kind}: {problems.Count} of {checkedPaths} reference field paths differ:\n" + string.Join("\n", problems));
        Assert.True(checkedPaths > 15, $"{kind}: only {checkedPaths} paths checked");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryFieldOfOursExistsInFluxWithTheSameType(string kind)
    {
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        var reference = ReferenceSchema(descriptor);
        var ours = CrdCatalog.SchemaFor(descriptor.ApiVersion, kind)!;

        var theirs = FieldPaths(reference, "");
        var extra = FieldPaths(ours, "").Where(kv => !theirs.TryGetValue(kv.Key, out var type) || type != kv.Value)
            .Select(kv => theirs.TryGetValue(kv.Key, out var type) ? $"{kv.Key}: {kv.Value} in ours, {type} in Flux" : $"{kv.Key}: not in Flux")
            .ToList();

        Assert.True(extra.Count == 0, $"{kind}: {extra.Count} field paths of ours differ from Flux's:\n" + string.Join("\n", extra));
    }

    /// <summary>Every field path of a schema with its type (<c>.spec.items[].name</c>, maps as <c>{}</c>).</summary>
    private static Dictionary<string, string> FieldPaths(JsonObject schema, string path)
    {
        var result = new Dictionary<string, string> { [path] = schema["type"]?.GetValue<string>() ?? "any" };
        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var kv in FieldPaths(child!.AsObject(), path + "." + name))
            {
                result[kv.Key] = kv.Value;
            }
        }

        foreach (var (key, suffix) in new[] { ("items", "[]"), ("additionalProperties", "{}") })
        {
            if (schema[key] is JsonObject nested)
            {
                foreach (var kv in FieldPaths(nested, path + suffix))
                {
                    result[kv.Key] = kv.Value;
                }
            }
        }

        return result;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void NamesMatchFlux(string kind)
    {
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        var reference = ReferenceCrd(descriptor);
        var ours = CrdCatalog.All().Single(c => c["spec"]!["names"]!["kind"]!.GetValue<string>() == kind);

        Assert.Equal(reference["metadata"]!["name"]!.GetValue<string>(), ours["metadata"]!["name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(reference["spec"]!["names"], ours["spec"]!["names"]),
            $"names differ: {reference["spec"]!["names"]!.ToJsonString()} vs {ours["spec"]!["names"]!.ToJsonString()}");
        Assert.Equal(reference["spec"]!["scope"]!.GetValue<string>(), ours["spec"]!["scope"]!.GetValue<string>());
        Assert.Equal(
            reference["metadata"]!["annotations"]!["kustomize.toolkit.fluxcd.io/substitute"]!.GetValue<string>(),
            ours["metadata"]!["annotations"]!["kustomize.toolkit.fluxcd.io/substitute"]!.GetValue<string>());
    }

    /// <summary>
    /// Where Weir's printer columns knowingly differ from Flux's: the kinds the seeds show with <c>kubectl get</c> print
    /// the seeds' <c>NAME READY STATUS AGE</c> (Flux prints Age first, and OCIRepository's URL by default).
    /// </summary>
    private static readonly Dictionary<string, string[]> SeedLayouts = new()
    {
        ["OCIRepository"] = ["Ready string 0", "Status string 0", "Age date 0", "URL string 1"],
        ["Kustomization"] = ["Ready string 0", "Status string 0", "Age date 0"],
        ["HelmRelease"] = ["Ready string 0", "Status string 0", "Age date 0"],
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PrinterColumnsAreFluxsOrTheSeedsLayout(string kind)
    {
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        var theirs = Columns(ReferenceVersion(descriptor));
        var ours = Columns(CrdCatalog.All().Single(c => c["spec"]!["names"]!["kind"]!.GetValue<string>() == kind)["spec"]!["versions"]![0]!);

        // Both ways: the same columns (name, type, JSONPath), none missing and none added.
        Assert.Equal(theirs.Select(c => c.Key).Order(), ours.Select(c => c.Key).Order());
        if (SeedLayouts.TryGetValue(kind, out var seeds))
        {
            Assert.Equal(seeds, ours.Select(c => c.Shown));
        }
        else
        {
            Assert.Equal(theirs.Select(c => c.Shown), ours.Select(c => c.Shown));
        }
    }

    /// <summary>A version's printer columns in order: identity (name, type, path) and how it is shown (name, type, priority).</summary>
    private static List<(string Key, string Shown)> Columns(JsonNode version) =>
        [.. (version["additionalPrinterColumns"] as JsonArray ?? []).Select(c => (
            $"{c!["name"]} {c["type"]} {c["jsonPath"]}",
            $"{c["name"]} {c["type"]} {c["priority"]?.GetValue<int>() ?? 0}"))];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DescriptionsAreOurOwn(string kind)
    {
        var descriptor = CrdCatalog.Descriptors.Single(d => d.Kind == kind);
        var theirs = Descriptions(ReferenceSchema(descriptor), "");
        var ours = Descriptions(CrdCatalog.SchemaFor(descriptor.ApiVersion, kind)!, "");
        var copied = ours.Where(kv => theirs.TryGetValue(kv.Key, out var t) && Normalize(t) == Normalize(kv.Value)).Select(kv => kv.Key).ToList();
        Assert.True(ours.Count > 15, $"{kind}: only {ours.Count} descriptions");
        Assert.True(copied.Count == 0, $"{kind}: descriptions identical to Flux's at {string.Join(", ", copied)}");
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    private static Dictionary<string, string> Descriptions(JsonObject schema, string path)
    {
        var result = new Dictionary<string, string>();
        if (schema["description"] is JsonValue d)
        {
            result[path] = d.GetValue<string>();
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var kv in Descriptions(child!.AsObject(), path + "." + name))
            {
                result[kv.Key] = kv.Value;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var kv in Descriptions(items, path + "[]"))
            {
                result[kv.Key] = kv.Value;
            }
        }

        return result;
    }

    private static void Compare(string path, JsonObject theirs, JsonObject? ours, List<string> problems, ref int count)
    {
        count++;
        if (ours is null)
        {
            problems.Add($"{path}: missing");
            return;
        }

        Same(path, "type", theirs, ours, problems);
        Same(path, "format", theirs, ours, problems, onlyIfTheirs: true, ignoreIntFormat: true);
        Same(path, "x-kubernetes-preserve-unknown-fields", theirs, ours, problems);
        Same(path, "pattern", theirs, ours, problems);
        Same(path, "default", theirs, ours, problems);
        Same(path, "minLength", theirs, ours, problems);
        Same(path, "maxLength", theirs, ours, problems);
        Same(path, "minimum", theirs, ours, problems);
        Same(path, "minItems", theirs, ours, problems);
        Same(path, "maxItems", theirs, ours, problems);
        SameSet(path, "enum", theirs, ours, problems);
        SameSet(path, "required", theirs, ours, problems);
        if (theirs["x-kubernetes-validations"] is JsonArray rules
            && (ours["x-kubernetes-validations"] as JsonArray)?.Count != rules.Count)
        {
            problems.Add($"{path}: {rules.Count} CEL rules in Flux, {(ours["x-kubernetes-validations"] as JsonArray)?.Count ?? 0} in ours");
        }

        if (theirs["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                Compare($"{path}.{name}", child!.AsObject(), ours["properties"]?[name] as JsonObject, problems, ref count);
            }
        }

        if (theirs["items"] is JsonObject items)
        {
            Compare(path + "[]", items, ours["items"] as JsonObject, problems, ref count);
        }

        if (theirs["additionalProperties"] is JsonObject values)
        {
            Compare(path + "{}", values, ours["additionalProperties"] as JsonObject, problems, ref count);
        }
    }

    private static void Same(string path, string key, JsonObject theirs, JsonObject ours, List<string> problems,
        bool onlyIfTheirs = false, bool ignoreIntFormat = false)
    {
        var a = theirs[key];
        var b = ours[key];
        if (onlyIfTheirs && a is null)
        {
            return;
        }

        if (ignoreIntFormat && a is null && b?.GetValue<string>() is "int32" or "int64")
        {
            return;
        }

        if (!JsonNode.DeepEquals(a, b))
        {
            problems.Add($"{path}: {key} {a?.ToJsonString() ?? "absent"} in Flux, {b?.ToJsonString() ?? "absent"} in ours");
        }
    }

    private static void SameSet(string path, string key, JsonObject theirs, JsonObject ours, List<string> problems)
    {
        static string Set(JsonNode? n) => n is JsonArray a
            ? string.Join(",", a.Select(v => v!.ToJsonString()).Order(StringComparer.Ordinal))
            : "absent";
        var a = Set(theirs[key]);
        var b = Set(ours[key]);
        if (a != b)
        {
            problems.Add($"{path}: {key} [{a}] in Flux, [{b}] in ours");
        }
    }

    private static string FluxCrdsDir() => TestPaths.SharedReference("flux-crds");

    private static JsonObject ReferenceCrd(CrdDescriptor d)
    {
        var file = Path.Combine(FluxCrdsDir(), $"{d.Group}_{d.Plural}.yaml");
        Assert.True(File.Exists(file), $"missing reference CRD {file}");
        return ReferenceYaml.Load(file)!.AsObject();
    }

    private static JsonObject ReferenceSchema(CrdDescriptor d) => ReferenceVersion(d)["schema"]!["openAPIV3Schema"]!.AsObject();

    private static JsonObject ReferenceVersion(CrdDescriptor d) =>
        ReferenceCrd(d)["spec"]!["versions"]!.AsArray()
            .Single(v => v!["name"]!.GetValue<string>() == d.Version && v["served"]!.GetValue<bool>())!.AsObject();
}
