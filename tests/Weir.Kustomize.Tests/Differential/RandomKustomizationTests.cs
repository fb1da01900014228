namespace Weir.Kustomize.Tests.Differential;

/// <summary>
/// Each generator's kustomizations, built by Weir and by <c>kubectl kustomize</c>, agree byte for byte. The suite runs
/// 30 cases per area from fixed seeds; <c>WEIR_KDIFF_CASES</c> asks for more in a deeper local run.
/// </summary>
public sealed class RandomKustomizationTests
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("WEIR_KDIFF_CASES"), out var n) && n > 0 ? n : 30;

    [Fact]
    public void ImagesOverEmptyAndNullContainerLists() =>
        KubectlDifferential.AssertAgree(100, Cases, RandomKustomizations.Images_, minBuilt: 10);

    [Fact]
    public void StrategicMergePatchesWithSeveralDocumentsAndATarget() =>
        KubectlDifferential.AssertAgree(200, Cases, RandomKustomizations.MultiDocPatches, minBuilt: 5);

    [Fact]
    public void InlinePatchesWithRegexTargets() =>
        KubectlDifferential.AssertAgree(300, Cases, RandomKustomizations.RegexTargets, minBuilt: 10);

    [Fact]
    public void PatchesThatRenameOrReKind() =>
        KubectlDifferential.AssertAgree(400, Cases, RandomKustomizations.Renames, minBuilt: 10);

    [Fact]
    public void StrategicMergesOfContainerLists() =>
        KubectlDifferential.AssertAgree(500, Cases, RandomKustomizations.ContainerMerges, minBuilt: 10);

    [Fact]
    public void ValueAddTransformerTargets() =>
        KubectlDifferential.AssertAgree(600, Cases, RandomKustomizations.ValueAdd, minBuilt: 5);

    [Fact]
    public void BlankAndInvalidNamespaces() =>
        KubectlDifferential.AssertAgree(700, Cases, RandomKustomizations.BlankNamespaces, minBuilt: 5);

    [Fact]
    public void NameReferencesWithLocalConfig() =>
        KubectlDifferential.AssertAgree(800, Cases, RandomKustomizations.LocalConfigReferences, minBuilt: 10);

    [Fact]
    public void OriginAnnotationsWithGeneratorBehaviors() =>
        KubectlDifferential.AssertAgree(900, Cases, RandomKustomizations.OriginsWithBehaviors, minBuilt: 10);
}
