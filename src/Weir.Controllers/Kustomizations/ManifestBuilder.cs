using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Api.Kustomize;
using Weir.Core.Objects;
using Weir.Kustomize;
using Weir.Kustomize.Build;
using Weir.Kustomize.Flux;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Yaml;
using Weir.Runtime.Kube;

namespace Weir.Controllers.Kustomizations;

/// <summary>The built manifests and their checksum (<c>sha256:…</c> of the YAML stream, as Flux's history records).</summary>
public sealed record BuiltManifests(IReadOnlyList<JsonObject> Objects, string Checksum);

/// <summary>
/// Builds a Kustomization's path of an extracted artifact as Flux does: a kustomization.yaml is generated when the
/// path has none, the spec's <c>targetNamespace</c>, <c>namePrefix/nameSuffix</c>, <c>commonMetadata</c>,
/// <c>patches</c>, <c>images</c> and <c>components</c> are layered on top, then <c>postBuild</c> variables from
/// <c>substitute</c> and <c>substituteFrom</c> ConfigMaps/Secrets are substituted.
/// </summary>
/// <param name="client">Reads the ConfigMaps and Secrets of <c>substituteFrom</c>.</param>
/// <param name="strictSubstitutions">An unset variable without default fails the build (Flux 2.9's
/// <c>StrictPostBuildSubstitutions</c> feature gate, on by default).</param>
public sealed class ManifestBuilder(ResourceClient client, bool strictSubstitutions = true)
{
    /// <summary>
    /// Builds <paramref name="directory"/> as Flux does: files may come from anywhere in the artifact
    /// (<c>LoadRestrictionsNone</c>) but nothing outside <paramref name="artifactRoot"/> is read.
    /// </summary>
    public async Task<BuiltManifests> BuildAsync(JsonObject kustomization, string directory, string artifactRoot, CancellationToken cancellationToken)
    {
        var raw = kustomization["spec"] as JsonObject ?? [];
        var spec = Weir.Core.Api.ApiObjects.Read<Kustomization>(kustomization).Spec ?? new KustomizationSpec();
        var buildSpec = new FluxBuildSpec(
            TargetNamespace: spec.TargetNamespace ?? "",
            NamePrefix: spec.NamePrefix ?? "",
            NameSuffix: spec.NameSuffix ?? "",
            Patches: raw["patches"]?.DeepClone() as JsonArray,
            Images: raw["images"]?.DeepClone() as JsonArray,
            Components: spec.Components);

        IReadOnlyList<JsonObject> objects;
        try
        {
            objects = FluxKustomization.Build(directory, buildSpec, new BuildOptions(LoadRestriction.None, Fence: artifactRoot));
        }
        catch (Exception e) when (e is KustomizeException or Weir.Core.Yaml.YamlException or IOException or FormatException)
        {
            throw new ManifestBuildException($"kustomize build failed: {e.Message}", e);
        }

        foreach (var obj in objects)
        {
            if (obj.Name().Length == 0 || obj.Kind().Length == 0 || obj.ApiVersion().Length == 0)
            {
                throw new ManifestBuildException($"failed to decode Kubernetes apiVersion, kind and name from: {YamlText.Serialize(obj)}");
            }
        }

        if (spec.PostBuild is { } postBuild)
        {
            objects = await SubstituteAsync(objects, postBuild, kustomization.Namespace(), cancellationToken);
        }

        if (spec.CommonMetadata is { } common)
        {
            foreach (var obj in objects)
            {
                foreach (var (k, v) in common.Labels ?? new Dictionary<string, string>())
                {
                    obj.SetLabel(k, v);
                }

                foreach (var (k, v) in common.Annotations ?? new Dictionary<string, string>())
                {
                    obj.SetAnnotation(k, v);
                }
            }
        }

        var yaml = YamlText.SerializeAll(objects);
        return new BuiltManifests(objects, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(yaml))));
    }

    private async Task<IReadOnlyList<JsonObject>> SubstituteAsync(
        IReadOnlyList<JsonObject> objects, PostBuild postBuild, string ns, CancellationToken cancellationToken)
    {
        var always = postBuild.SubstituteStrategy == "Always";
        var vars = new Dictionary<string, string>();
        Exception? loadError = null;
        try
        {
            foreach (var reference in postBuild.SubstituteFrom ?? [])
            {
                await LoadAsync(reference, ns, vars, cancellationToken);
            }
        }
        catch (Exception e) when (e is KubeApiException or InvalidOperationException)
        {
            loadError = e;
        }

        foreach (var (k, v) in postBuild.Substitute ?? new Dictionary<string, string>())
        {
            vars[k] = v;
        }

        var result = new List<JsonObject>(objects.Count);
        foreach (var obj in objects)
        {
            var where = $"{GvkText(obj)}/{obj.Name()}";
            if (loadError is not null)
            {
                throw new ManifestBuildException($"post build failed for '{where}': {loadError.Message}", loadError);
            }

            try
            {
                result.Add(PostBuildSubstitution.SubstituteResource(obj, vars, strictSubstitutions, always));
            }
            catch (KustomizeException e)
            {
                throw new ManifestBuildException($"post build failed for '{where}': {e.Message}", e);
            }
        }

        return result;
    }

    private async Task LoadAsync(SubstituteReference reference, string ns, Dictionary<string, string> vars, CancellationToken cancellationToken)
    {
        var kind = reference.Kind ?? "";
        var resource = kind == "Secret" ? KubeResource.Secret : KubeResource.ConfigMap;
        var obj = await client.GetAsync(resource, new ObjectKey(ns, reference.Name ?? ""), cancellationToken);
        if (obj is null)
        {
            if (reference.Optional == true)
            {
                return;
            }

            throw new InvalidOperationException(
                $"substitute from '{kind}/{reference.Name}' error: {resource.Plural} \"{reference.Name}\" not found");
        }

        foreach (var (k, v) in obj["data"] as JsonObject ?? [])
        {
            var text = v?.GetValue<string>() ?? "";
            vars[k] = kind == "Secret" ? Encoding.UTF8.GetString(Convert.FromBase64String(text)) : text;
        }
    }

    /// <summary>kyaml's group_version_kind text, <c>~G</c> for the core group.</summary>
    private static string GvkText(JsonObject obj)
    {
        var gvk = obj.Gvk();
        return $"{(gvk.Group.Length == 0 ? "~G" : gvk.Group)}_{gvk.Version}_{gvk.Kind}";
    }
}

/// <summary>The manifests could not be built; the message is the one Flux reports (reason BuildFailed).</summary>
public sealed class ManifestBuildException(string message, Exception? inner = null) : Exception(message, inner);
