namespace Weir.Cluster.Api;

/// <summary>The built-in kinds this server serves, with their real names, short names, categories and scope.</summary>
internal static class BuiltinResources
{
    private static readonly string[] All = ["all"];

    public static List<ResourceType> Create()
    {
        ResourceType T(string group, string version, string plural, string singular, string kind, bool namespaced,
            ResourceStrategy strategy, string[]? shortNames = null, string[]? categories = null) =>
            new(group, version, plural, singular, kind, namespaced, shortNames ?? [], categories ?? [], strategy);

        BuiltinStrategy B(string group, string version, string kind, bool status = false, bool generation = false) =>
            new(group, version, kind, status, generation);

        return
        [
            T("", "v1", "namespaces", "namespace", "Namespace", false, new NamespaceStrategy(), ["ns"]),
            T("", "v1", "configmaps", "configmap", "ConfigMap", true, new ConfigMapStrategy(), ["cm"]),
            T("", "v1", "secrets", "secret", "Secret", true, new SecretStrategy()),
            T("", "v1", "services", "service", "Service", true, new ServiceStrategy(), ["svc"], All),
            T("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, B("", "v1", "ServiceAccount"), ["sa"]),
            T("", "v1", "endpoints", "endpoints", "Endpoints", true, B("", "v1", "Endpoints"), ["ep"]),
            T("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, B("", "v1", "PersistentVolumeClaim", status: true), ["pvc"]),
            T("", "v1", "pods", "pod", "Pod", true, new PodStrategy(), ["po"], All),
            T("", "v1", "nodes", "node", "Node", false, B("", "v1", "Node", status: true), ["no"]),
            T("", "v1", "events", "event", "Event", true, new EventStrategy(""), ["ev"]),
            T("apps", "v1", "deployments", "deployment", "Deployment", true, new WorkloadStrategy("Deployment", scale: true), ["deploy"], All),
            T("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, new WorkloadStrategy("StatefulSet", scale: true), ["sts"], All),
            T("apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, new WorkloadStrategy("DaemonSet", scale: false), ["ds"], All),
            T("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, new WorkloadStrategy("ReplicaSet", scale: true), ["rs"], All),
            T("events.k8s.io", "v1", "events", "event", "Event", true, new EventStrategy("events.k8s.io"), ["ev"]),
            T("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true, B("autoscaling", "v2", "HorizontalPodAutoscaler", status: true, generation: true), ["hpa"], All),
            T("batch", "v1", "jobs", "job", "Job", true, new JobStrategy(), categories: All),
            T("batch", "v1", "cronjobs", "cronjob", "CronJob", true, B("batch", "v1", "CronJob", status: true, generation: true), ["cj"], All),
            T("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, B("networking.k8s.io", "v1", "Ingress", status: true, generation: true), ["ing"]),
            T("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true, B("networking.k8s.io", "v1", "NetworkPolicy", generation: true), ["netpol"]),
            T("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, B("policy", "v1", "PodDisruptionBudget", status: true, generation: true), ["pdb"]),
            T("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, new RbacStrategy("ClusterRoleBinding")),
            T("rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, new RbacStrategy("ClusterRole")),
            T("rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, new RbacStrategy("RoleBinding")),
            T("rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, new RbacStrategy("Role")),
            T("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, B("coordination.k8s.io", "v1", "Lease")),
            T("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, new CrdStrategy(), ["crd", "crds"]),
        ];
    }
}
