using System.Text.Json.Serialization;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Notification;
using Weir.Core.Api.Source;
using Weir.Core.Api.SourceExtensions;

namespace Weir.Core.Api;

/// <summary>Source-generated JSON metadata for every kind Weir serves (camelCase, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OCIRepository))]
[JsonSerializable(typeof(GitRepository))]
[JsonSerializable(typeof(HelmRepository))]
[JsonSerializable(typeof(HelmChart))]
[JsonSerializable(typeof(Bucket))]
[JsonSerializable(typeof(Kustomization))]
[JsonSerializable(typeof(HelmRelease))]
[JsonSerializable(typeof(ExternalArtifact))]
[JsonSerializable(typeof(ArtifactGenerator))]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(Provider))]
[JsonSerializable(typeof(Receiver))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
