namespace Weir.Kustomize.Config;

/// <summary>
/// The field specs kustomize applies by default, one per line: <c>section group version kind path create</c>
/// (<c>-</c> for any; <c>c</c> creates the field when missing). Name references are introduced by a
/// <c>ref group version kind</c> line followed by indented referrer lines.
/// </summary>
internal static class DefaultFieldSpecs
{
    public const string Table = """
        commonAnnotations - - - metadata/annotations c
        commonAnnotations - v1 ReplicationController spec/template/metadata/annotations c
        commonAnnotations - - Deployment spec/template/metadata/annotations c
        commonAnnotations - - ReplicaSet spec/template/metadata/annotations c
        commonAnnotations - - DaemonSet spec/template/metadata/annotations c
        commonAnnotations - - StatefulSet spec/template/metadata/annotations c
        commonAnnotations batch - Job spec/template/metadata/annotations c
        commonAnnotations batch - CronJob spec/jobTemplate/metadata/annotations c
        commonAnnotations batch - CronJob spec/jobTemplate/spec/template/metadata/annotations c
        commonLabels - v1 Service spec/selector c
        commonLabels - v1 ReplicationController spec/selector c
        commonLabels - - Deployment spec/selector/matchLabels c
        commonLabels apps - Deployment spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels -
        commonLabels apps - Deployment spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels -
        commonLabels apps - Deployment spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels -
        commonLabels apps - Deployment spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels -
        commonLabels apps - Deployment spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels -
        commonLabels - - ReplicaSet spec/selector/matchLabels c
        commonLabels - - DaemonSet spec/selector/matchLabels c
        commonLabels apps - StatefulSet spec/selector/matchLabels c
        commonLabels apps - StatefulSet spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels -
        commonLabels apps - StatefulSet spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels -
        commonLabels apps - StatefulSet spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels -
        commonLabels apps - StatefulSet spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels -
        commonLabels apps - StatefulSet spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels -
        commonLabels batch - Job spec/selector/matchLabels -
        commonLabels batch - CronJob spec/jobTemplate/spec/selector/matchLabels -
        commonLabels policy - PodDisruptionBudget spec/selector/matchLabels -
        commonLabels networking.k8s.io - NetworkPolicy spec/podSelector/matchLabels -
        commonLabels networking.k8s.io - NetworkPolicy spec/ingress/from/podSelector/matchLabels -
        commonLabels networking.k8s.io - NetworkPolicy spec/egress/to/podSelector/matchLabels -
        commonLabels - - - metadata/labels c
        commonLabels - v1 ReplicationController spec/template/metadata/labels c
        commonLabels - - Deployment spec/template/metadata/labels c
        commonLabels - - ReplicaSet spec/template/metadata/labels c
        commonLabels - - DaemonSet spec/template/metadata/labels c
        commonLabels apps - StatefulSet spec/template/metadata/labels c
        commonLabels batch - Job spec/template/metadata/labels c
        commonLabels batch - CronJob spec/jobTemplate/metadata/labels c
        commonLabels batch - CronJob spec/jobTemplate/spec/template/metadata/labels c
        commonLabels apps - StatefulSet spec/volumeClaimTemplates[]/metadata/labels c
        templateLabels - - - metadata/labels c
        templateLabels - v1 ReplicationController spec/template/metadata/labels c
        templateLabels - - Deployment spec/template/metadata/labels c
        templateLabels - - ReplicaSet spec/template/metadata/labels c
        templateLabels - - DaemonSet spec/template/metadata/labels c
        templateLabels apps - StatefulSet spec/template/metadata/labels c
        templateLabels batch - Job spec/template/metadata/labels c
        templateLabels batch - CronJob spec/jobTemplate/metadata/labels c
        templateLabels batch - CronJob spec/jobTemplate/spec/template/metadata/labels c
        namePrefix - - - metadata/name -
        nameSuffix - - - metadata/name -
        namespace - - Namespace metadata/name c
        namespace apiregistration.k8s.io - APIService spec/service/namespace c
        namespace apiextensions.k8s.io - CustomResourceDefinition spec/conversion/webhook/clientConfig/service/namespace -
        images - - - spec/containers[]/image c
        images - - - spec/initContainers[]/image c
        images - - - spec/template/spec/containers[]/image c
        images - - - spec/template/spec/initContainers[]/image c
        replicas - - Deployment spec/replicas c
        replicas - - ReplicationController spec/replicas c
        replicas - - ReplicaSet spec/replicas c
        replicas - - StatefulSet spec/replicas c
        varReference - - CronJob spec/jobTemplate/spec/template/spec/containers/args -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/containers/command -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/containers/env/value -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/initContainers/args -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/initContainers/command -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/initContainers/env/value -
        varReference - - CronJob spec/jobTemplate/spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - CronJob spec/jobTemplate/spec/template/volumes/nfs/server -
        varReference - - DaemonSet spec/template/spec/containers/args -
        varReference - - DaemonSet spec/template/spec/containers/command -
        varReference - - DaemonSet spec/template/spec/containers/env/value -
        varReference - - DaemonSet spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - DaemonSet spec/template/spec/initContainers/args -
        varReference - - DaemonSet spec/template/spec/initContainers/command -
        varReference - - DaemonSet spec/template/spec/initContainers/env/value -
        varReference - - DaemonSet spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - DaemonSet spec/template/spec/volumes/nfs/server -
        varReference - - Deployment spec/template/spec/containers/args -
        varReference - - Deployment spec/template/spec/containers/command -
        varReference - - Deployment spec/template/spec/containers/env/value -
        varReference - - Deployment spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - Deployment spec/template/spec/initContainers/args -
        varReference - - Deployment spec/template/spec/initContainers/command -
        varReference - - Deployment spec/template/spec/initContainers/env/value -
        varReference - - Deployment spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - Deployment spec/template/spec/volumes/nfs/server -
        varReference - - Deployment spec/template/metadata/annotations -
        varReference - - Ingress spec/rules/host -
        varReference - - Ingress spec/tls/hosts -
        varReference - - Ingress spec/tls/secretName -
        varReference - - Job spec/template/spec/containers/args -
        varReference - - Job spec/template/spec/containers/command -
        varReference - - Job spec/template/spec/containers/env/value -
        varReference - - Job spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - Job spec/template/spec/initContainers/args -
        varReference - - Job spec/template/spec/initContainers/command -
        varReference - - Job spec/template/spec/initContainers/env/value -
        varReference - - Job spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - Job spec/template/spec/volumes/nfs/server -
        varReference - - Pod spec/containers/args -
        varReference - - Pod spec/containers/command -
        varReference - - Pod spec/containers/env/value -
        varReference - - Pod spec/containers/volumeMounts/mountPath -
        varReference - - Pod spec/initContainers/args -
        varReference - - Pod spec/initContainers/command -
        varReference - - Pod spec/initContainers/env/value -
        varReference - - Pod spec/initContainers/volumeMounts/mountPath -
        varReference - - Pod spec/volumes/nfs/server -
        varReference - - ReplicaSet spec/template/spec/containers/args -
        varReference - - ReplicaSet spec/template/spec/containers/command -
        varReference - - ReplicaSet spec/template/spec/containers/env/value -
        varReference - - ReplicaSet spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - ReplicaSet spec/template/spec/initContainers/args -
        varReference - - ReplicaSet spec/template/spec/initContainers/command -
        varReference - - ReplicaSet spec/template/spec/initContainers/env/value -
        varReference - - ReplicaSet spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - ReplicaSet spec/template/spec/volumes/nfs/server -
        varReference - - Service spec/ports/port -
        varReference - - Service spec/ports/targetPort -
        varReference - - StatefulSet spec/template/spec/containers/args -
        varReference - - StatefulSet spec/template/spec/containers/command -
        varReference - - StatefulSet spec/template/spec/containers/env/value -
        varReference - - StatefulSet spec/template/spec/containers/volumeMounts/mountPath -
        varReference - - StatefulSet spec/template/spec/initContainers/args -
        varReference - - StatefulSet spec/template/spec/initContainers/command -
        varReference - - StatefulSet spec/template/spec/initContainers/env/value -
        varReference - - StatefulSet spec/template/spec/initContainers/volumeMounts/mountPath -
        varReference - - StatefulSet spec/volumeClaimTemplates/spec/nfs/server -
        varReference - - PersistentVolume spec/nfs/server -
        varReference - - - metadata/labels -
        varReference - - - metadata/annotations -
        ref - - Deployment
          - - HorizontalPodAutoscaler spec/scaleTargetRef/name -
        ref - - ReplicationController
          - - HorizontalPodAutoscaler spec/scaleTargetRef/name -
        ref - - ReplicaSet
          - - HorizontalPodAutoscaler spec/scaleTargetRef/name -
        ref - - StatefulSet
          - - HorizontalPodAutoscaler spec/scaleTargetRef/name -
        ref - v1 ConfigMap
          - v1 Pod spec/volumes/configMap/name -
          - v1 Pod spec/containers/env/valueFrom/configMapKeyRef/name -
          - v1 Pod spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - v1 Pod spec/containers/envFrom/configMapRef/name -
          - v1 Pod spec/initContainers/envFrom/configMapRef/name -
          - v1 Pod spec/volumes/projected/sources/configMap/name -
          - - PodTemplate template/spec/volumes/configMap/name -
          - - PodTemplate template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - PodTemplate template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - PodTemplate template/spec/containers/envFrom/configMapRef/name -
          - - PodTemplate template/spec/initContainers/envFrom/configMapRef/name -
          - - PodTemplate template/spec/volumes/projected/sources/configMap/name -
          - - Deployment spec/template/spec/volumes/configMap/name -
          - - Deployment spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - Deployment spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - Deployment spec/template/spec/containers/envFrom/configMapRef/name -
          - - Deployment spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - Deployment spec/template/spec/volumes/projected/sources/configMap/name -
          - - ReplicaSet spec/template/spec/volumes/configMap/name -
          - - ReplicaSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - ReplicaSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - ReplicaSet spec/template/spec/containers/envFrom/configMapRef/name -
          - - ReplicaSet spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - ReplicaSet spec/template/spec/volumes/projected/sources/configMap/name -
          - - DaemonSet spec/template/spec/volumes/configMap/name -
          - - DaemonSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - DaemonSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - DaemonSet spec/template/spec/containers/envFrom/configMapRef/name -
          - - DaemonSet spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - DaemonSet spec/template/spec/volumes/projected/sources/configMap/name -
          - - StatefulSet spec/template/spec/volumes/configMap/name -
          - - StatefulSet spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - StatefulSet spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - StatefulSet spec/template/spec/containers/envFrom/configMapRef/name -
          - - StatefulSet spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - StatefulSet spec/template/spec/volumes/projected/sources/configMap/name -
          - - Job spec/template/spec/volumes/configMap/name -
          - - Job spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - Job spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - Job spec/template/spec/containers/envFrom/configMapRef/name -
          - - Job spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - Job spec/template/spec/volumes/projected/sources/configMap/name -
          - - CronJob spec/jobTemplate/spec/template/spec/volumes/configMap/name -
          - - CronJob spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name -
          - - CronJob spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name -
          - - Node spec/configSource/configMap -
          - - Role rules/resourceNames -
          - - ClusterRole rules/resourceNames -
          - - Ingress metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap -
        ref - v1 Secret
          - v1 Pod spec/volumes/secret/secretName -
          - v1 Pod spec/containers/env/valueFrom/secretKeyRef/name -
          - v1 Pod spec/initContainers/env/valueFrom/secretKeyRef/name -
          - v1 Pod spec/containers/envFrom/secretRef/name -
          - v1 Pod spec/initContainers/envFrom/secretRef/name -
          - v1 Pod spec/imagePullSecrets/name -
          - v1 Pod spec/volumes/projected/sources/secret/name -
          - - PodTemplate template/spec/volumes/secret/secretName -
          - - PodTemplate template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - PodTemplate template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - PodTemplate template/spec/containers/envFrom/secretRef/name -
          - - PodTemplate template/spec/initContainers/envFrom/secretRef/name -
          - - PodTemplate template/spec/imagePullSecrets/name -
          - - PodTemplate template/spec/volumes/projected/sources/secret/name -
          - - Deployment spec/template/spec/volumes/secret/secretName -
          - - Deployment spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - Deployment spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - Deployment spec/template/spec/containers/envFrom/secretRef/name -
          - - Deployment spec/template/spec/initContainers/envFrom/secretRef/name -
          - - Deployment spec/template/spec/imagePullSecrets/name -
          - - Deployment spec/template/spec/volumes/projected/sources/secret/name -
          - - ReplicaSet spec/template/spec/volumes/secret/secretName -
          - - ReplicaSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - ReplicaSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - ReplicaSet spec/template/spec/containers/envFrom/secretRef/name -
          - - ReplicaSet spec/template/spec/initContainers/envFrom/secretRef/name -
          - - ReplicaSet spec/template/spec/imagePullSecrets/name -
          - - ReplicaSet spec/template/spec/volumes/projected/sources/secret/name -
          - - DaemonSet spec/template/spec/volumes/secret/secretName -
          - - DaemonSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - DaemonSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - DaemonSet spec/template/spec/containers/envFrom/secretRef/name -
          - - DaemonSet spec/template/spec/initContainers/envFrom/secretRef/name -
          - - DaemonSet spec/template/spec/imagePullSecrets/name -
          - - DaemonSet spec/template/spec/volumes/projected/sources/secret/name -
          - - StatefulSet spec/template/spec/volumes/secret/secretName -
          - - StatefulSet spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - StatefulSet spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - StatefulSet spec/template/spec/containers/envFrom/secretRef/name -
          - - StatefulSet spec/template/spec/initContainers/envFrom/secretRef/name -
          - - StatefulSet spec/template/spec/imagePullSecrets/name -
          - - StatefulSet spec/template/spec/volumes/projected/sources/secret/name -
          - - Job spec/template/spec/volumes/secret/secretName -
          - - Job spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - Job spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - Job spec/template/spec/containers/envFrom/secretRef/name -
          - - Job spec/template/spec/initContainers/envFrom/secretRef/name -
          - - Job spec/template/spec/imagePullSecrets/name -
          - - Job spec/template/spec/volumes/projected/sources/secret/name -
          - - CronJob spec/jobTemplate/spec/template/spec/volumes/secret/secretName -
          - - CronJob spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name -
          - - CronJob spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name -
          - - CronJob spec/jobTemplate/spec/template/spec/imagePullSecrets/name -
          - - Ingress spec/tls/secretName -
          - - Ingress metadata/annotations/ingress.kubernetes.io\/auth-secret -
          - - Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret -
          - - Ingress metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret -
          - - Ingress spec/tls/secretName -
          - - ServiceAccount imagePullSecrets/name -
          - - StorageClass parameters/secretName -
          - - StorageClass parameters/adminSecretName -
          - - StorageClass parameters/userSecretName -
          - - StorageClass parameters/secretRef -
          - - Role rules/resourceNames -
          - - ClusterRole rules/resourceNames -
          serving.knative.dev v1 Service spec/template/spec/containers/env/valueFrom/secretKeyRef/name -
          - - PersistentVolume spec/azureFile/secretName -
        ref - v1 Service
          apps - StatefulSet spec/serviceName -
          - - Ingress spec/rules/http/paths/backend/serviceName -
          - - Ingress spec/backend/serviceName -
          - - Ingress spec/rules/http/paths/backend/service/name -
          - - Ingress spec/defaultBackend/service/name -
          apiregistration.k8s.io - APIService spec/service/name -
          admissionregistration.k8s.io - ValidatingWebhookConfiguration webhooks/clientConfig/service -
          admissionregistration.k8s.io - MutatingWebhookConfiguration webhooks/clientConfig/service -
        ref rbac.authorization.k8s.io - Role
          rbac.authorization.k8s.io - RoleBinding roleRef/name -
        ref rbac.authorization.k8s.io - ClusterRole
          rbac.authorization.k8s.io - RoleBinding roleRef/name -
          rbac.authorization.k8s.io - ClusterRoleBinding roleRef/name -
        ref - v1 ServiceAccount
          rbac.authorization.k8s.io - RoleBinding subjects -
          rbac.authorization.k8s.io - ClusterRoleBinding subjects -
          - - Pod spec/serviceAccountName -
          - - StatefulSet spec/template/spec/serviceAccountName -
          - - Deployment spec/template/spec/serviceAccountName -
          - - ReplicationController spec/template/spec/serviceAccountName -
          - - CronJob spec/jobTemplate/spec/template/spec/serviceAccountName -
          - - Job spec/template/spec/serviceAccountName -
          - - DaemonSet spec/template/spec/serviceAccountName -
        ref - v1 PersistentVolumeClaim
          - - Pod spec/volumes/persistentVolumeClaim/claimName -
          - - StatefulSet spec/template/spec/volumes/persistentVolumeClaim/claimName -
          - - Deployment spec/template/spec/volumes/persistentVolumeClaim/claimName -
          - - ReplicationController spec/template/spec/volumes/persistentVolumeClaim/claimName -
          - - CronJob spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName -
          - - Job spec/template/spec/volumes/persistentVolumeClaim/claimName -
          - - DaemonSet spec/template/spec/volumes/persistentVolumeClaim/claimName -
        ref - v1 PersistentVolume
          - - PersistentVolumeClaim spec/volumeName -
          - - ClusterRole rules/resourceNames -
        ref storage.k8s.io v1 StorageClass
          - - PersistentVolume spec/storageClassName -
          - - PersistentVolumeClaim spec/storageClassName -
          - - StatefulSet spec/volumeClaimTemplates/spec/storageClassName -
        ref scheduling.k8s.io v1 PriorityClass
          - - Pod spec/priorityClassName -
          - - StatefulSet spec/template/spec/priorityClassName -
          - - Deployment spec/template/spec/priorityClassName -
          - - ReplicationController spec/template/spec/priorityClassName -
          - - CronJob spec/jobTemplate/spec/template/spec/priorityClassName -
          - - Job spec/template/spec/priorityClassName -
          - - DaemonSet spec/template/spec/priorityClassName -
        ref networking.k8s.io/v1 v1 IngressClass
          - - Ingress spec/ingressClassName -
        ref admissionregistration.k8s.io - ValidatingAdmissionPolicy
          admissionregistration.k8s.io - ValidatingAdmissionPolicyBinding spec/policyName -
        """;
}
