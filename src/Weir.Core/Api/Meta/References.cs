using System.ComponentModel;
using System.Text.Json.Serialization;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Meta;

[Description("Names an object in the same namespace.")]
public sealed record LocalObjectReference
{
    [RequiredField, Description("Name of the referenced object.")]
    public string? Name { get; init; }
}

[Description("Names a key in a Secret in the same namespace.")]
public sealed record SecretKeyReference
{
    [RequiredField, Description("Secret name.")]
    public string? Name { get; init; }

    [Description("Key inside the Secret; a kind-specific default applies when empty.")]
    public string? Key { get; init; }
}

[Description("Names an object of a given kind, optionally in another namespace.")]
public sealed record NamespacedObjectKindReference
{
    [Description("API version of the referenced object.")]
    public string? ApiVersion { get; init; }

    [RequiredField, Description("Kind of the referenced object.")]
    public string? Kind { get; init; }

    [RequiredField, Description("Name of the referenced object.")]
    public string? Name { get; init; }

    [Description("Namespace of the referenced object; defaults to the referrer's namespace.")]
    public string? Namespace { get; init; }
}

[Description("Where to read a kubeconfig for a remote cluster: exactly one of secretRef or configMapRef.")]
[CelRule("has(self.configMapRef) || has(self.secretRef)", "one of configMapRef or secretRef is required")]
[CelRule("!has(self.configMapRef) || !has(self.secretRef)", "configMapRef and secretRef are mutually exclusive")]
public sealed record KubeConfigReference
{
    [Description("Secret holding a kubeconfig (key 'value' or 'value.yaml' unless set).")]
    public SecretKeyReference? SecretRef { get; init; }

    [Description("ConfigMap describing a cluster reached with workload identity.")]
    public LocalObjectReference? ConfigMapRef { get; init; }
}

[Description("Another object of the same kind that must be ready first.")]
public sealed record DependencyReference
{
    [RequiredField, Description("Name of the dependency.")]
    public string? Name { get; init; }

    [Description("Namespace of the dependency; defaults to the dependant's namespace.")]
    public string? Namespace { get; init; }

    [Description("CEL expression deciding readiness of the dependency instead of its Ready condition.")]
    public string? ReadyExpr { get; init; }
}

[Description("A Secret or ConfigMap to take values from.")]
public sealed record ValuesReference
{
    [RequiredField, Enum("Secret", "ConfigMap"), Description("Kind of the values source.")]
    public string? Kind { get; init; }

    [RequiredField, Length(Min = 1, Max = 253), Description("Name of the values source.")]
    public string? Name { get; init; }

    [Length(Max = 253), Pattern("^[\\-._a-zA-Z0-9]+$"), Description("Data key holding the values; values.yaml when empty.")]
    public string? ValuesKey { get; init; }

    [Length(Max = 250), Pattern("^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$"),
     Description("Dotted path at which to place the value instead of merging the whole document.")]
    public string? TargetPath { get; init; }

    [Description("Do not fail when the source or key is missing.")]
    public bool? Optional { get; init; }

    [Description("With targetPath: use the value as a literal string instead of parsing it.")]
    public bool? Literal { get; init; }
}

[Description("Selects resources by group, version, kind, name, namespace (regular expressions) and label/annotation selectors.")]
public sealed record Selector
{
    [Description("API group regex.")]
    public string? Group { get; init; }

    [Description("API version regex.")]
    public string? Version { get; init; }

    [Description("Kind regex.")]
    public string? Kind { get; init; }

    [Description("Name regex.")]
    public string? Name { get; init; }

    [Description("Namespace regex.")]
    public string? Namespace { get; init; }

    [Description("Label selector expression.")]
    public string? LabelSelector { get; init; }

    [Description("Annotation selector expression.")]
    public string? AnnotationSelector { get; init; }
}

[Description("A kustomize patch (strategic merge or JSON 6902) and the resources it applies to.")]
public sealed record Patch
{
    [JsonPropertyName("patch"), RequiredField, Description("The patch document, as YAML or JSON.")]
    public string? PatchText { get; init; }

    [Description("Resources to patch; defaults to what the patch itself names.")]
    public Selector? Target { get; init; }
}

[Description("An image name/tag/digest override.")]
public sealed record ImageOverride
{
    [RequiredField, Description("Image name to match in manifests.")]
    public string? Name { get; init; }

    [Description("Replacement image name.")]
    public string? NewName { get; init; }

    [Description("Replacement tag.")]
    public string? NewTag { get; init; }

    [Description("Replacement digest; wins over newTag.")]
    public string? Digest { get; init; }
}

[Description("Labels and annotations added to every applied object.")]
public sealed record CommonMetadata
{
    [Description("Annotations to add.")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    [Description("Labels to add.")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}

[Description("CEL expressions computing health for a custom kind.")]
public sealed record CustomHealthCheck
{
    [RequiredField, Description("API version of the kind.")]
    public string? ApiVersion { get; init; }

    [Description("Kind the expressions apply to.")]
    public string? Kind { get; init; }

    [RequiredField, Description("Expression that is true when the object is healthy.")]
    public string? Current { get; init; }

    [Description("Expression that is true while the object is still progressing.")]
    public string? InProgress { get; init; }

    [Description("Expression that is true when the object has failed.")]
    public string? Failed { get; init; }
}

[Description("JSON pointers of fields to leave alone, on matching resources.")]
public sealed record IgnoreRule
{
    [RequiredField, Description("JSON pointers (RFC 6901) to ignore.")]
    public IReadOnlyList<string>? Paths { get; init; }

    [Description("Resources the rule applies to; all when empty.")]
    public Selector? Target { get; init; }
}
