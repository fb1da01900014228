using System.Text.Json.Nodes;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Generators;

/// <summary>Generates a ConfigMap or Secret from literals, files and env files.</summary>
public sealed class ConfigMapSecretGenerator(bool secret, GeneratorArgs args, FileLoader loader, string source)
{
    public Resource Generate()
    {
        if (args.Name.Length == 0)
        {
            throw new KustomizeException($"{source}: a {(secret ? "secretGenerator" : "configMapGenerator")} entry has no name");
        }

        var metadata = new JsonObject { ["name"] = args.Name };
        if (args.Namespace.Length > 0)
        {
            metadata["namespace"] = args.Namespace;
        }

        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = secret ? "Secret" : "ConfigMap", ["metadata"] = metadata };
        var data = new JsonObject();
        var binary = new JsonObject();
        foreach (var entry in DataSources.Collect(args, loader))
        {
            if (data.ContainsKey(entry.Key) || binary.ContainsKey(entry.Key))
            {
                throw new KustomizeException(
                    $"{source}: configmap {args.Name} illegally repeats the key `{entry.Key}`");
            }

            if (secret)
            {
                var bytes = entry.Binary ?? System.Text.Encoding.UTF8.GetBytes(entry.Text!);
                data[entry.Key] = WrappedBase64(bytes);
            }
            else if (entry.Binary is not null)
            {
                binary[entry.Key] = WrappedBase64(entry.Binary);
            }
            else
            {
                data[entry.Key] = entry.Text;
            }
        }

        if (data.Count > 0)
        {
            obj["data"] = data;
        }

        if (binary.Count > 0)
        {
            obj["binaryData"] = binary;
        }

        if (secret)
        {
            obj["type"] = args.Type.Length > 0 ? args.Type : "Opaque";
        }

        if (args.Labels.Count > 0)
        {
            metadata["labels"] = new JsonObject(args.Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        }

        if (args.Annotations.Count > 0)
        {
            metadata["annotations"] = new JsonObject(args.Annotations.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
        }

        if (args.Immutable)
        {
            obj["immutable"] = true;
        }

        return new Resource(obj, source)
        {
            NeedsHash = !args.DisableNameSuffixHash,
            Behavior = args.Behavior.Length == 0 ? "create" : args.Behavior,
        };
    }

    // kustomize breaks secret values into 70-character lines once they are that long.
    private static string WrappedBase64(byte[] bytes)
    {
        var encoded = Convert.ToBase64String(bytes);
        if (encoded.Length < 70)
        {
            return encoded;
        }

        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < encoded.Length; i += 70)
        {
            sb.Append(encoded, i, Math.Min(70, encoded.Length - i)).Append('\n');
        }

        return sb.ToString();
    }
}
