namespace Weir.Cluster.Http;

/// <summary>How one protobuf field maps to JSON.</summary>
internal enum ProtoKind
{
    String,
    Int,
    Bool,
    Bytes,
    Message,
    StringMap,
    BytesMap,
    QuantityMap,
    IntOrString,
    Quantity,
    Time,
}

/// <summary>One field of a message: its JSON name, kind, nested message, whether repeated, and whether a zero is meaningful.</summary>
internal sealed record ProtoField(string Name, ProtoKind Kind, string? Message = null, bool Repeated = false, bool KeepZero = false);

/// <summary>
/// Field numbers of the Kubernetes messages kubectl 1.32+ sends as protobuf (from k8s.io/api and apimachinery
/// generated.proto): enough for <c>create namespace|configmap|secret|serviceaccount|service|deployment</c>,
/// <c>create role|clusterrole|rolebinding|clusterrolebinding</c>,
/// <c>create token</c> and <c>auth can-i</c>. Fields not listed are skipped.
/// </summary>
internal static class ProtobufSchema
{
    private static ProtoField S(string name) => new(name, ProtoKind.String);

    private static ProtoField Ss(string name) => new(name, ProtoKind.String, Repeated: true);

    private static ProtoField I(string name, bool keepZero = false) => new(name, ProtoKind.Int, KeepZero: keepZero);

    private static ProtoField B(string name, bool keepZero = false) => new(name, ProtoKind.Bool, KeepZero: keepZero);

    private static ProtoField M(string name, string message, bool repeated = false) => new(name, ProtoKind.Message, message, repeated);

    private static ProtoField Map(string name) => new(name, ProtoKind.StringMap);

    public static readonly Dictionary<string, Dictionary<int, ProtoField>> Messages = new()
    {
        ["ObjectMeta"] = new()
        {
            [1] = S("name"),
            [2] = S("generateName"),
            [3] = S("namespace"),
            [5] = S("uid"),
            [6] = S("resourceVersion"),
            [7] = I("generation"),
            [8] = new("creationTimestamp", ProtoKind.Time),
            [11] = Map("labels"),
            [12] = Map("annotations"),
            [13] = M("ownerReferences", "OwnerReference", true),
            [14] = Ss("finalizers"),
        },
        ["OwnerReference"] = new() { [1] = S("kind"), [3] = S("name"), [4] = S("uid"), [5] = S("apiVersion"), [6] = B("controller", true), [7] = B("blockOwnerDeletion", true) },
        ["LabelSelector"] = new() { [1] = Map("matchLabels"), [2] = M("matchExpressions", "LabelSelectorRequirement", true) },
        ["LabelSelectorRequirement"] = new() { [1] = S("key"), [2] = S("operator"), [3] = Ss("values") },
        ["Namespace"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "NamespaceSpec") },
        ["NamespaceSpec"] = new() { [1] = Ss("finalizers") },
        ["ConfigMap"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = Map("data"), [3] = new("binaryData", ProtoKind.BytesMap), [4] = B("immutable", true) },
        ["Secret"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = new("data", ProtoKind.BytesMap), [3] = S("type"), [4] = Map("stringData"), [5] = B("immutable", true) },
        ["ServiceAccount"] = new()
        {
            [1] = M("metadata", "ObjectMeta"),
            [2] = M("secrets", "ObjectReference", true),
            [3] = M("imagePullSecrets", "LocalObjectReference", true),
            [4] = B("automountServiceAccountToken", true),
        },
        ["ObjectReference"] = new() { [1] = S("kind"), [2] = S("namespace"), [3] = S("name"), [4] = S("uid"), [5] = S("apiVersion"), [6] = S("resourceVersion"), [7] = S("fieldPath") },
        ["LocalObjectReference"] = new() { [1] = S("name") },
        ["Service"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "ServiceSpec") },
        ["ServiceSpec"] = new()
        {
            [1] = M("ports", "ServicePort", true),
            [2] = Map("selector"),
            [3] = S("clusterIP"),
            [4] = S("type"),
            [5] = Ss("externalIPs"),
            [7] = S("sessionAffinity"),
            [8] = S("loadBalancerIP"),
            [10] = S("externalName"),
            [11] = S("externalTrafficPolicy"),
            [17] = S("ipFamilyPolicy"),
            [18] = Ss("clusterIPs"),
            [19] = Ss("ipFamilies"),
            [22] = S("internalTrafficPolicy"),
        },
        ["ServicePort"] = new() { [1] = S("name"), [2] = S("protocol"), [3] = I("port"), [4] = new("targetPort", ProtoKind.IntOrString), [5] = I("nodePort"), [6] = S("appProtocol") },
        ["Deployment"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "DeploymentSpec") },
        ["DeploymentSpec"] = new()
        {
            [1] = I("replicas", true),
            [2] = M("selector", "LabelSelector"),
            [3] = M("template", "PodTemplateSpec"),
            [4] = M("strategy", "DeploymentStrategy"),
            [5] = I("minReadySeconds"),
            [6] = I("revisionHistoryLimit", true),
            [7] = B("paused"),
            [9] = I("progressDeadlineSeconds", true),
        },
        ["DeploymentStrategy"] = new() { [1] = S("type"), [2] = M("rollingUpdate", "RollingUpdateDeployment") },
        ["RollingUpdateDeployment"] = new() { [1] = new("maxUnavailable", ProtoKind.IntOrString), [2] = new("maxSurge", ProtoKind.IntOrString) },
        ["PodTemplateSpec"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "PodSpec") },
        ["PodSpec"] = new()
        {
            [2] = M("containers", "Container", true),
            [3] = S("restartPolicy"),
            [4] = I("terminationGracePeriodSeconds", true),
            [6] = S("dnsPolicy"),
            [7] = Map("nodeSelector"),
            [8] = S("serviceAccountName"),
            [9] = S("serviceAccount"),
            [15] = M("imagePullSecrets", "LocalObjectReference", true),
            [19] = S("schedulerName"),
            [20] = M("initContainers", "Container", true),
        },
        ["Container"] = new()
        {
            [1] = S("name"),
            [2] = S("image"),
            [3] = Ss("command"),
            [4] = Ss("args"),
            [5] = S("workingDir"),
            [6] = M("ports", "ContainerPort", true),
            [7] = M("env", "EnvVar", true),
            [8] = M("resources", "ResourceRequirements"),
            [13] = S("terminationMessagePath"),
            [14] = S("imagePullPolicy"),
            [16] = B("stdin"),
            [17] = B("stdinOnce"),
            [18] = B("tty"),
            [20] = S("terminationMessagePolicy"),
        },
        ["ContainerPort"] = new() { [1] = S("name"), [2] = I("hostPort"), [3] = I("containerPort"), [4] = S("protocol"), [5] = S("hostIP") },
        ["EnvVar"] = new() { [1] = S("name"), [2] = S("value") },
        ["ResourceRequirements"] = new() { [1] = new("limits", ProtoKind.QuantityMap), [2] = new("requests", ProtoKind.QuantityMap) },
        ["SelfSubjectAccessReview"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "SelfSubjectAccessReviewSpec") },
        ["SelfSubjectAccessReviewSpec"] = new() { [1] = M("resourceAttributes", "ResourceAttributes"), [2] = M("nonResourceAttributes", "NonResourceAttributes") },
        ["SubjectAccessReview"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "SubjectAccessReviewSpec") },
        ["SubjectAccessReviewSpec"] = new()
        {
            [1] = M("resourceAttributes", "ResourceAttributes"),
            [2] = M("nonResourceAttributes", "NonResourceAttributes"),
            [3] = S("user"),
            [4] = Ss("groups"),
            [6] = S("uid"),
        },
        ["ResourceAttributes"] = new() { [1] = S("namespace"), [2] = S("verb"), [3] = S("group"), [4] = S("version"), [5] = S("resource"), [6] = S("subresource"), [7] = S("name") },
        ["NonResourceAttributes"] = new() { [1] = S("path"), [2] = S("verb") },
        ["SelfSubjectRulesReview"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "SelfSubjectRulesReviewSpec") },
        ["SelfSubjectRulesReviewSpec"] = new() { [1] = S("namespace") },
        ["Role"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("rules", "PolicyRule", true) },
        ["ClusterRole"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("rules", "PolicyRule", true) },
        ["PolicyRule"] = new() { [1] = Ss("verbs"), [2] = Ss("apiGroups"), [3] = Ss("resources"), [4] = Ss("resourceNames"), [5] = Ss("nonResourceURLs") },
        ["RoleBinding"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("subjects", "Subject", true), [3] = M("roleRef", "RoleRef") },
        ["ClusterRoleBinding"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("subjects", "Subject", true), [3] = M("roleRef", "RoleRef") },
        ["Subject"] = new() { [1] = S("kind"), [2] = S("apiGroup"), [3] = S("name"), [4] = S("namespace") },
        ["RoleRef"] = new() { [1] = S("apiGroup"), [2] = S("kind"), [3] = S("name") },
        ["SelfSubjectReview"] = new() { [1] = M("metadata", "ObjectMeta") },
        ["TokenRequest"] = new() { [1] = M("metadata", "ObjectMeta"), [2] = M("spec", "TokenRequestSpec") },
        ["TokenRequestSpec"] = new() { [1] = Ss("audiences"), [4] = I("expirationSeconds", true) },
    };
}
