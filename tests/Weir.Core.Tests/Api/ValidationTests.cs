using System.Text.Json.Nodes;
using Weir.Core.Api.Meta;
using Weir.Core.Api.Source;
using Weir.Core.Api.Validation;

namespace Weir.Core.Tests.Api;

public class ValidationTests
{
    private static JsonObject Oci(string spec) => JsonNode.Parse(
        $$"""{"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"OCIRepository","metadata":{"name":"my-app","namespace":"flux-system"},"spec":{{spec}}}""")!.AsObject();

    private static JsonObject Ks(string spec) => JsonNode.Parse(
        $$"""{"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization","metadata":{"name":"apps"},"spec":{{spec}}}""")!.AsObject();

    private static JsonObject Hr(string spec) => JsonNode.Parse(
        $$"""{"apiVersion":"helm.toolkit.fluxcd.io/v2","kind":"HelmRelease","metadata":{"name":"podinfo"},"spec":{{spec}}}""")!.AsObject();

    private static JsonObject Bucket(string spec) => JsonNode.Parse(
        $$"""{"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"Bucket","metadata":{"name":"b"},"spec":{{spec}}}""")!.AsObject();

    private static List<string> Errors(JsonObject obj) => [.. ApiValidator.Validate(obj).Select(e => e.ToString())];

    [Theory]
    [InlineData("oci://ghcr.io/org/app")]
    [InlineData("oci://localhost:5000/org/app")]
    [InlineData("oci://127.0.0.1:5000/app")]
    public void OciUrlWithoutTagIsValid(string url) =>
        Assert.Empty(Errors(Oci($$"""{"url":"{{url}}","interval":"5m","ref":{"semver":">=2.0.0"} }""")));

    [Fact]
    public void OciUrlWithTagIsRejectedWithFluxMessage() =>
        Assert.Equal(
            ["spec.url: Invalid value: \"oci://ghcr.io/org/app:v1\": URL must not contain a tag; remove ':v1'"],
            Errors(Oci("""{"url":"oci://ghcr.io/org/app:v1","interval":"5m"}""")));

    [Fact]
    public void OciUrlWithPortAndTagNamesTheTag() =>
        Assert.Equal("v2.1.0", KindRules.TagInUrl("oci://localhost:5000/org/app:v2.1.0"));

    [Fact]
    public void OciUrlMustUseOciScheme() =>
        Assert.Equal(
            ["spec.url: Invalid value: \"https://ghcr.io/org/app\": spec.url in body should match '^oci://.*$'"],
            Errors(Oci("""{"url":"https://ghcr.io/org/app","interval":"5m"}""")));

    [Fact]
    public void RequiredFieldsAreReported() =>
        Assert.Equal(["spec.interval: Required value", "spec.url: Required value"], Errors(Oci("{}")));

    [Theory]
    [InlineData("5 minutes")]
    [InlineData("5")]
    [InlineData("1d")]
    public void InvalidDurationIsRejected(string interval) =>
        Assert.Equal(
            [$"spec.interval: Invalid value: \"{interval}\": spec.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'"],
            Errors(Oci($$"""{"url":"oci://ghcr.io/org/app","interval":"{{interval}}"}""")));

    [Fact]
    public void SourceTimeoutHasNoHourUnit() =>
        Assert.Single(Errors(Oci("""{"url":"oci://ghcr.io/org/app","interval":"1h","timeout":"1h"}""")));

    [Fact]
    public void EnumValuesAreChecked() =>
        Assert.Equal(
            ["spec.provider: Unsupported value: \"docker\": supported values: \"generic\", \"aws\", \"azure\", \"gcp\""],
            Errors(Oci("""{"url":"oci://ghcr.io/org/app","interval":"5m","provider":"docker"}""")));

    [Fact]
    public void KustomizationPruneIsRequired() =>
        Assert.Equal(
            ["spec.prune: Required value"],
            Errors(Ks("""{"interval":"10m","sourceRef":{"kind":"OCIRepository","name":"my-app"}}""")));

    [Fact]
    public void WrongTypesAreReported() =>
        Assert.Equal(
            ["spec.prune: Invalid value: \"yes\": spec.prune in body must be of type boolean: \"string\""],
            Errors(Ks("""{"interval":"10m","prune":"yes","sourceRef":{"kind":"OCIRepository","name":"my-app"}}""")));

    [Fact]
    public void UnknownFieldsAreReported() =>
        Assert.Equal(
            ["unknown field \"spec.prunne\""],
            Errors(Ks("""{"interval":"10m","prune":true,"prunne":true,"sourceRef":{"kind":"OCIRepository","name":"my-app"}}""")));

    [Fact]
    public void ArrayItemsAndMapValuesArePathed() =>
        Assert.Equal(
            [
                "spec.dependsOn[1].name: Required value",
                "spec.postBuild.substitute[cluster]: Invalid value: 1: spec.postBuild.substitute[cluster] in body must be of type string: \"integer\"",
            ],
            Errors(Ks("""
                {"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"repo"},
                 "dependsOn":[{"name":"infra"},{"namespace":"x"}],"postBuild":{"substitute":{"cluster":1}}}
                """)));

    [Fact]
    public void SourceKindIsAnEnum() =>
        Assert.Equal(
            ["spec.sourceRef.kind: Unsupported value: \"HelmRepository\": supported values: \"OCIRepository\", \"GitRepository\", \"Bucket\", \"ExternalArtifact\""],
            Errors(Ks("""{"interval":"10m","prune":true,"sourceRef":{"kind":"HelmRepository","name":"x"}}""")));

    [Theory]
    [InlineData("""{"interval":"5m"}""")]
    [InlineData("""{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"chart":{"spec":{"chart":"podinfo","sourceRef":{"kind":"HelmRepository","name":"podinfo"}}}}""")]
    public void HelmReleaseNeedsExactlyOneOfChartAndChartRef(string spec) =>
        Assert.Equal(["spec: Invalid value: \"object\": exactly one of chart or chartRef is required"], Errors(Hr(spec)));

    [Fact]
    public void HelmReleaseWithChartRefIsValid() =>
        Assert.Empty(Errors(Hr("""{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"values":{"replicas":2,"x":[1,{"y":null}]}}""")));

    [Fact]
    public void IntegersOutOfRangeAreReportedNotThrown() =>
        Assert.StartsWith(
            "spec.maxHistory: Invalid value: null: ",
            Assert.Single(Errors(Hr("""{"interval":"5m","maxHistory":99999999999,"chartRef":{"kind":"OCIRepository","name":"p"}}"""))));

    [Fact]
    public void HelmReleaseNameIsAtMost53Characters() =>
        Assert.Equal(
            ["spec.releaseName: Too long: may not be more than 53 bytes"],
            Errors(Hr($$"""{"interval":"5m","releaseName":"{{new string('a', 54)}}","chartRef":{"kind":"OCIRepository","name":"p"} }""")));

    [Fact]
    public void HelmReleaseRetryIntervalNeedsRetryStrategy() =>
        Assert.Equal(
            ["spec.upgrade.strategy: Invalid value: \"object\": retryInterval is only allowed with RetryOnFailure"],
            Errors(Hr("""{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"p"},"upgrade":{"strategy":{"name":"RemediateOnFailure","retryInterval":"1m"}}}""")));

    [Fact]
    public void KubeConfigNeedsExactlyOneReference() =>
        Assert.Equal(
            ["spec.kubeConfig: Invalid value: \"object\": configMapRef and secretRef are mutually exclusive"],
            Errors(Ks("""{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"r"},"kubeConfig":{"secretRef":{"name":"a"},"configMapRef":{"name":"b"}}}""")));

    [Fact]
    public void BucketCelRuleEquivalentsApply()
    {
        Assert.Empty(Errors(Bucket("""{"bucketName":"b","endpoint":"minio:9000","interval":"5m"}""")));
        Assert.Equal(
            ["spec: Invalid value: \"object\": the generic provider takes no serviceAccountName"],
            Errors(Bucket("""{"bucketName":"b","endpoint":"minio:9000","interval":"5m","serviceAccountName":"sa"}""")));
        Assert.Equal(
            ["spec: Invalid value: \"object\": the generic provider needs sts provider ldap"],
            Errors(Bucket("""{"bucketName":"b","endpoint":"minio:9000","interval":"5m","sts":{"provider":"aws","endpoint":"https://sts"}}""")));
    }

    [Fact]
    public void GitServiceAccountNeedsCloudProvider() =>
        Assert.Equal(
            ["spec: Invalid value: \"object\": serviceAccountName needs provider azure or aws"],
            Errors(JsonNode.Parse("""
                {"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"GitRepository","metadata":{"name":"g"},
                 "spec":{"url":"https://github.com/org/repo","interval":"1m","serviceAccountName":"sa"}}
                """)!.AsObject()));

    [Fact]
    public void NameIsRequired() =>
        Assert.Equal(
            ["metadata.name: Required value: name or generateName is required"],
            Errors(JsonNode.Parse("""{"apiVersion":"source.toolkit.fluxcd.io/v1","kind":"HelmRepository","metadata":{},"spec":{"url":"https://charts.example.com"}}""")!.AsObject()));

    [Fact]
    public void UnservedKindsAreRejected() =>
        Assert.StartsWith(
            "kind: Unsupported value: \"source.toolkit.fluxcd.io/v1beta2, Kind=OCIRepository\": supported values: ",
            Assert.Single(Errors(JsonNode.Parse("""{"apiVersion":"source.toolkit.fluxcd.io/v1beta2","kind":"OCIRepository","metadata":{"name":"x"}}""")!.AsObject())));

    [Fact]
    public void TypedObjectsValidateThroughTheSameSchema()
    {
        var obj = new OCIRepository
        {
            Metadata = new ObjectMeta { Name = "my-app", Namespace = "flux-system" },
            Spec = new OCIRepositorySpec { Url = "oci://ghcr.io/org/app:latest", Interval = "1m" },
        };
        Assert.Equal(
            ["spec.url: Invalid value: \"oci://ghcr.io/org/app:latest\": URL must not contain a tag; remove ':latest'"],
            ApiValidator.Validate(obj).Select(e => e.ToString()));
    }
}
