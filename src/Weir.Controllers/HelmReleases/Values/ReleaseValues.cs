using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Helm.Values;
using Weir.Runtime.Kube;
using Weir.Templates.Values;

namespace Weir.Controllers.HelmReleases.Values;

/// <summary>A HelmRelease's values as composed for an action, their digest, and the objects they were read from.</summary>
public sealed record ComposedValues(GoMap Values, string ConfigDigest, IReadOnlyList<ValuesSource> Sources);

/// <summary>
/// Composes a HelmRelease's values as helm-controller does: each <c>valuesFrom</c> entry in order — the
/// Secret's or ConfigMap's <c>valuesKey</c> (default <c>values.yaml</c>) read as a values document and deep-merged
/// over what came before, or with <c>targetPath</c> set at that path with Helm's <c>--set</c> syntax (after the
/// inline values are merged in, so a targeted value wins over them); an <c>optional</c> entry whose object or key is
/// missing is skipped — then <c>spec.values</c> merged on top. Each object is read once.
/// </summary>
public sealed class ReleaseValues(ResourceClient client)
{
    public const string DefaultValuesKey = "values.yaml";

    /// <exception cref="ValuesReferenceException">An entry cannot be resolved; the message is Flux's.</exception>
    public async Task<ComposedValues> ComposeAsync(HelmRelease release, CancellationToken cancellationToken = default)
    {
        var values = await ComposeAsync(release.Metadata?.Namespace ?? "", release.Spec?.Values, release.Spec?.ValuesFrom, cancellationToken);
        return new ComposedValues(values, ConfigDigest.Of(values), ValuesSource.Of(release));
    }

    /// <exception cref="ValuesReferenceException">An entry cannot be resolved; the message is Flux's.</exception>
    public async Task<GoMap> ComposeAsync(
        string ns, JsonElement? inline, IReadOnlyList<ValuesReference>? references, CancellationToken cancellationToken = default)
    {
        var values = Inline(inline);
        var result = new GoMap();
        var read = new Dictionary<ValuesSource, JsonObject?>();
        foreach (var reference in references ?? [])
        {
            var kind = reference.Kind ?? "";
            var source = new ValuesSource(kind, ns, reference.Name ?? "");
            if (kind is not (ValuesSource.SecretKind or ValuesSource.ConfigMapKind))
            {
                throw Error(reference, source, "unsupported values reference kind");
            }

            if (!read.TryGetValue(source, out var obj))
            {
                // One version of each object per composition, also when a missing optional one is named again.
                read[source] = null;
                var resource = kind == ValuesSource.SecretKind ? KubeResource.Secret : KubeResource.ConfigMap;
                obj = await client.GetAsync(resource, new ObjectKey(ns, source.Name), cancellationToken);
                if (obj is null)
                {
                    if (reference.Optional == true)
                    {
                        continue;
                    }

                    throw Error(reference, source, $"{resource.Plural} \"{source.Name}\" not found");
                }

                read[source] = obj;
            }

            if (obj is null)
            {
                if (reference.Optional == true)
                {
                    continue;
                }

                throw Error(reference, source, "resource not found");
            }

            if (Data(obj, kind, Key(reference)) is not { } data)
            {
                if (reference.Optional == true)
                {
                    continue;
                }

                throw Error(reference, source, "key not found");
            }

            if (!string.IsNullOrEmpty(reference.TargetPath))
            {
                result = ValuesReader.Merge(result, values);
                try
                {
                    SetAtPath(result, reference.TargetPath, data, reference.Literal == true);
                }
                catch (ValuesException e)
                {
                    throw Error(reference, source, e.Message, e);
                }

                continue;
            }

            GoMap document;
            try
            {
                document = ValuesReader.Read(data);
            }
            catch (ValuesException e)
            {
                throw Error(reference, source, e.Message, e);
            }

            result = ValuesReader.Merge(result, document);
        }

        return ValuesReader.Merge(result, values);
    }

    private static string Key(ValuesReference reference) => string.IsNullOrEmpty(reference.ValuesKey) ? DefaultValuesKey : reference.ValuesKey;

    private static GoMap Inline(JsonElement? inline) =>
        inline is { ValueKind: JsonValueKind.Object } element && GoValues.FromJson(element) is { IsMap: true } map ? map.AsMap : new GoMap();

    /// <summary>A key of a ConfigMap's <c>data</c>, or of a Secret's <c>data</c> decoded; null when absent.</summary>
    private static string? Data(JsonObject obj, string kind, string key)
    {
        if (obj["data"] is not JsonObject data || !data.TryGetPropertyValue(key, out var node) || node is null)
        {
            return null;
        }

        var text = node.GetValue<string>();
        return kind == ValuesSource.SecretKind ? ValuesReader.DecodeText(Convert.FromBase64String(text)) : text;
    }

    /// <summary>
    /// Flux's targetPath merge: <c>PATH=VALUE</c> through Helm's <c>--set</c> parser — quoted values (single or
    /// double) as strings without their quotes, literal values verbatim (the parser's syntax characters escaped).
    /// </summary>
    private static void SetAtPath(GoMap values, string path, string value, bool literal)
    {
        if (literal)
        {
            var escaped = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                if (c is '\\' or ',' or '[' or ']' or '{' or '}')
                {
                    escaped.Append('\\');
                }

                escaped.Append(c);
            }

            SetValueParser.ParseInto(path + "=" + escaped, values, SetValueMode.String);
            return;
        }

        var quoted = (value.StartsWith('\'') && value.EndsWith('\'')) || (value.StartsWith('"') && value.EndsWith('"'));
        if (quoted)
        {
            SetValueParser.ParseInto(path + "=" + value.Trim('\'', '"'), values, SetValueMode.String);
            return;
        }

        SetValueParser.ParseInto(path + "=" + value, values);
    }

    private static ValuesReferenceException Error(ValuesReference reference, ValuesSource source, string reason, Exception? inner = null)
    {
        var message = new StringBuilder("could not resolve");
        if (reference.Optional == true)
        {
            message.Append(" optional");
        }

        if (source.Kind.Length > 0)
        {
            message.Append(' ').Append(source.Kind);
        }

        message.Append(" chart values reference '").Append(source.Namespace).Append('/').Append(source.Name).Append('\'');
        message.Append(" with key '").Append(Key(reference)).Append("': ").Append(reason);
        return new ValuesReferenceException(message.ToString(), inner);
    }
}
