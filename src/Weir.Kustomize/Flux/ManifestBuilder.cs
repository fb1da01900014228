using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Api.Kustomize;
using Weir.Core.Objects;
using Weir.Kustomize.Build;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Flux;

/// <summary>The built manifests and their checksum (<c>sha256:…</c> of the YAML stream, as Flux's history records).</summary>
public sealed record BuiltManifests(IReadOnlyList<JsonObject> Objects, string Checksum);

/// <summary>
/// Reads the data of a <c>postBuild.substituteFrom</c> ConfigMap or Secret (<paramref name="kind"/>), Secret values
/// decoded; null when the object does not exist. Any exception it throws fails the build with its message.
/// </summary>
public delegate Task<IReadOnlyDictionary<string, string>?> SubstituteVariables(string kind, ObjectKey key, CancellationToken cancellationToken);

/// <summary>
/// Builds a Kustomization's path as Flux does — the one build and post-build path of the Kustomization controller
/// and of <c>weir build</c>/<c>weir diff</c>: a kustomization.yaml is generated when the path has none, the spec's
/// <c>targetNamespace</c>, <c>namePrefix/nameSuffix</c>, <c>patches</c>, <c>images</c> and <c>components</c> are
/// layered on top, then <c>postBuild</c> variables from <c>substitute</c> and <c>substituteFrom</c> are substituted
/// (honouring <c>substituteStrategy</c>), and last <c>commonMetadata</c> is set on each object's own metadata — after
/// the build, as Flux does, so it never reaches pod templates or selectors.
/// </summary>
/// <param name="variables">Reads <c>substituteFrom</c> objects; null skips them (flux build's <c>--dry-run</c>).</param>
/// <param name="strictSubstitutions">An unset variable without default fails the build (Flux 2.9's
/// <c>StrictPostBuildSubstitutions</c> feature gate, on by default in the controller).</param>
public sealed class ManifestBuilder(SubstituteVariables? variables, bool strictSubstitutions = true)
{
    /// <summary>
    /// Builds <paramref name="directory"/>: files may come from anywhere (<c>LoadRestrictionsNone</c>) but, when
    /// <paramref name="fence"/> is given (the artifact's root), nothing outside it is read.
    /// </summary>
    public async Task<BuiltManifests> BuildAsync(JsonObject kustomization, string directory, string? fence, CancellationToken cancellationToken)
    {
        var raw = kustomization["spec"] as JsonObject ?? [];
        var spec = Core.Api.ApiObjects.Read<Kustomization>(kustomization).Spec ?? new KustomizationSpec();
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
            objects = FluxKustomization.Build(directory, buildSpec, new BuildOptions(LoadRestriction.None, Fence: fence));
        }
        catch (Exception e) when (e is KustomizeException or Core.Yaml.YamlException or IOException or FormatException)
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
            foreach (var reference in variables is null ? [] : postBuild.SubstituteFrom ?? [])
            {
                await LoadAsync(variables!, reference, ns, vars, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the lookup failed on (API error, bad base64), the build fails with its message.
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
                throw new ManifestBuildException($"post build failed for '{where}': {loadError.Message}", loadError) { PostBuildResource = obj.Name() };
            }

            try
            {
                result.Add(PostBuildSubstitution.SubstituteResource(obj, vars, strictSubstitutions, always));
            }
            catch (KustomizeException e)
            {
                throw new ManifestBuildException($"post build failed for '{where}': {e.Message}", e) { PostBuildResource = obj.Name() };
            }
        }

        return result;
    }

    private static async Task LoadAsync(
        SubstituteVariables variables, SubstituteReference reference, string ns, Dictionary<string, string> vars, CancellationToken cancellationToken)
    {
        var kind = reference.Kind ?? "";
        var data = await variables(kind, new ObjectKey(ns, reference.Name ?? ""), cancellationToken);
        if (data is null)
        {
            if (reference.Optional == true)
            {
                return;
            }

            var plural = kind == "Secret" ? "secrets" : "configmaps";
            throw new InvalidOperationException($"substitute from '{kind}/{reference.Name}' error: {plural} \"{reference.Name}\" not found");
        }

        foreach (var (k, v) in data)
        {
            vars[k] = v;
        }
    }

    /// <summary>kyaml's group_version_kind text, <c>~G</c> for the core group.</summary>
    private static string GvkText(JsonObject obj)
    {
        var gvk = obj.Gvk();
        return $"{(gvk.Group.Length == 0 ? "~G" : gvk.Group)}_{gvk.Version}_{gvk.Kind}";
    }
}

/// <summary>The manifests could not be built; the message is the one Flux's controller reports (reason BuildFailed).</summary>
public sealed class ManifestBuildException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The name of the resource post-build substitution failed on (null for other failures); the cause is
    /// <see cref="Exception.InnerException"/>. flux build words these failures differently from the controller.
    /// </summary>
    public string? PostBuildResource { get; init; }
}
