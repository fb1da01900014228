namespace Weir.Kustomize.Tests.Differential;

/// <summary>Each disagreement the random kustomizations found, kept as a named case checked against kubectl.</summary>
public sealed class DisagreementRegressionTests
{
    private const string Kustomization = "resources:\n- r.yaml\n";

    private static void AssertAgrees(bool builds, params (string Path, string Text)[] files)
    {
        var (disagreement, built) = KubectlDifferential.Compare(files.ToDictionary(f => f.Path, f => f.Text));
        Assert.Null(disagreement);
        Assert.Equal(builds, built);
    }

    private static (string, string) K(string extra) => ("kustomization.yaml", Kustomization + extra);

    private static (string, string) R(string text) => ("r.yaml", text);

    private const string Images = "images:\n- name: nginx\n  tagSuffix: -x\n";

    [Fact]
    public void ImagesTurnANullContainerListIntoAnEmptyOne() =>
        AssertAgrees(true, K("images:\n- name: nginx\n  newTag: \"2\"\n"),
            R("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: null\n  initContainers:\n"));

    [Fact]
    public void ImagesTagSuffixIsAppendedAndDropsTheDigest() =>
        AssertAgrees(true, K(Images),
            R("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - image: nginx:1\n  - image: nginx@sha256:abc\n  - image: nginx\n"));

    [Fact]
    public void ImagesLeaveCustomResourceDefinitionsAlone() =>
        AssertAgrees(true, K(Images),
            R("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: c\nspec:\n  containers:\n  - image: nginx:1\n"));

    [Fact]
    public void ImagesLeaveVolumeImageReferencesAlone() =>
        AssertAgrees(true, K(Images),
            R("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: v\n    image:\n      reference: nginx:1\n"));

    [Fact]
    public void ImagesRefuseAContainerThatIsNotAMap() =>
        AssertAgrees(false, K(Images), R("apiVersion: x/v1\nkind: Foo\nmetadata:\n  name: p\nspec:\n  containers: [a]\n"));

    private const string Deployments = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n";

    private static string ListPatch(params string[] names) => "apiVersion: v1\nkind: List\nitems:\n"
        + string.Concat(names.Select(n => $"- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: {n}\n  spec:\n    replicas: 3\n"));

    [Fact]
    public void AListPatchOfOneItemAppliesToItsTarget() =>
        AssertAgrees(true, K("patches:\n- target:\n    name: web\n  path: p.yaml\n"), R(Deployments), ("p.yaml", ListPatch("web")));

    [Fact]
    public void AListPatchOfSeveralItemsMayNotHaveATarget() =>
        AssertAgrees(false, K("patches:\n- target:\n    kind: Deployment\n  path: p.yaml\n"), R(Deployments), ("p.yaml", ListPatch("web", "api")));

    [Fact]
    public void PatchTargetKindsAreRegularExpressions() =>
        AssertAgrees(true, K("patches:\n- target:\n    kind: Deploy.*\n    group: app.*\n  patch: |-\n    kind: X\n    metadata:\n      name: y\n      labels: {hit: \"1\"}\n"),
            R(Deployments + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n"));

    private const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: \"1\"\n";

    [Fact]
    public void APatchOfTheOldIdKeepsTheNewKind() =>
        AssertAgrees(true, K("patches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    apiVersion: v1\n    kind: Secret\n    metadata:\n      name: cfg2\n"
            + "  options:\n    allowNameChange: true\n    allowKindChange: true\n"
            + "- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: cfg\n    data:\n      later: \"1\"\n"), R(ConfigMap));

    [Fact]
    public void AJsonPatchKeepsThePreviousIdThatNameReferencesFollow() =>
        AssertAgrees(true,
            ("base/kustomization.yaml", Kustomization + "patches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    apiVersion: v1\n    kind: Secret\n    metadata:\n      name: renamed\n"
                + "  options:\n    allowNameChange: true\n    allowKindChange: true\n"),
            ("base/r.yaml", ConfigMap + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    envFrom:\n"
                + "    - configMapRef:\n        name: cfg\n    - secretRef:\n        name: cfg\n"),
            ("kustomization.yaml", "resources:\n- base\npatches:\n- target:\n    name: renamed\n  patch: |-\n    - op: add\n      path: /data/t\n      value: \"2\"\n"));

    [Fact]
    public void ATargetedPatchTakesTheTargetsApiVersion() =>
        AssertAgrees(true, K("patches:\n- target:\n    kind: Deployment\n  patch: |-\n    apiVersion: extensions/v1beta1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      replicas: 2\n"
            + "  options:\n    allowKindChange: true\n"), R(Deployments));

    private const string Web = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        args: [a, b]\n";

    [Fact]
    public void KustomizeKeepsPatchDirectivesOtherThanPatchAsFields() =>
        AssertAgrees(true, K("patches:\n- path: p.yaml\n"), R(Web), ("p.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    $retainKeys: [type]\n    type: Recreate\n  template:\n    spec:\n"
            + "      $setElementOrder/containers: [{name: side}, {name: main}]\n      containers:\n      - name: side\n        image: s\n      - name: main\n        $deleteFromPrimitiveList/args: [a]\n"));

    [Fact]
    public void ADeletedSidecarOfAListTheTargetLacksIsNotAdded() =>
        AssertAgrees(true, K("patches:\n- path: p.yaml\n"), R(Web), ("p.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: wait\n        $patch: delete\n      - name: init\n        image: i\n"));

    private static (string, string) ValueAdd(string targets) => ("t.yaml", "apiVersion: builtin\nkind: ValueAddTransformer\nmetadata:\n  name: add\nvalue: v1\ntargets:\n" + targets);

    [Fact]
    public void ValueAddFieldNamesMatchIgnoringCase() =>
        AssertAgrees(true, K("transformers:\n- t.yaml\n"), R(ConfigMap), ValueAdd("- FieldPath: metadata/namespace\n"));

    [Fact]
    public void ValueAddIntoAMissingPathPartIsTheValueAlone() =>
        AssertAgrees(true, K("transformers:\n- t.yaml\n"), R(ConfigMap), ValueAdd("- fieldPath: metadata/annotations/p\n  filePathPosition: 2\n"));

    [Fact]
    public void ValueAddRefusesANegativeFilePathPosition() =>
        AssertAgrees(false, K("transformers:\n- t.yaml\n"), R(ConfigMap), ValueAdd("- fieldPath: data/a\n  filePathPosition: -1\n"));

    [Fact]
    public void ValueAddRefusesATargetWithoutFieldPath() =>
        AssertAgrees(false, K("transformers:\n- t.yaml\n"), R(ConfigMap), ValueAdd("- selector:\n    kind: ConfigMap\n"));

    [Fact]
    public void ANamespaceTransformerWithABlankNamespaceDoesNothing() =>
        AssertAgrees(true, K("namespace: \" \"\ntransformers:\n- t.yaml\n"), R(ConfigMap),
            ("t.yaml", "apiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: \"\"\n"));

    [Fact]
    public void ARoleBindingWithANullServiceAccountNamespaceIsRefused() =>
        AssertAgrees(false, K(""), R("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: r\nsubjects:\n"
            + "- kind: ServiceAccount\n  name: sa\n  namespace: null\nroleRef:\n  kind: ClusterRole\n  name: r\n  apiGroup: rbac.authorization.k8s.io\n"));

    [Fact]
    public void LocalConfigWithAnyValueButFalseIsDroppedAfterReferencesAreFixed() =>
        AssertAgrees(true, K("namePrefix: p-\n"), R(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  annotations:\n    config.kubernetes.io/local-config: \"TRUE\"\n---\n"
            + "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    config.kubernetes.io/local-config: \"false\"\n---\n"
            + "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  volumes:\n  - name: v\n    configMap:\n      name: cfg\n"));

    [Fact]
    public void AReplacingGeneratorBecomesTheOriginAndManagedByIsKubectls() =>
        AssertAgrees(true,
            ("base/kustomization.yaml", "configMapGenerator:\n- name: gen\n  literals:\n  - a=1\n- name: kept\n  literals:\n  - a=1\n"),
            ("kustomization.yaml", "buildMetadata: [originAnnotations, managedByLabel]\nresources:\n- base\nconfigMapGenerator:\n- name: gen\n  behavior: replace\n  literals:\n  - b=2\n"
                + "- name: kept\n  behavior: merge\n  literals:\n  - b=2\n"));
}
