namespace Weir.Cli.Scenarios;

/// <summary>The manifests the scenarios publish: a small web app (Deployment + Service) and its variations.</summary>
public static class AppManifests
{
    /// <summary>A Deployment and a Service using a named container port, as in the seeds.</summary>
    public static Dictionary<string, string> WebApp(string name, string version, string? imageTag = null, int servicePort = 80,
        int? progressDeadlineSeconds = null) => new()
        {
            ["kustomization.yaml"] = """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                - deployment.yaml
                - service.yaml
                """,
            ["deployment.yaml"] = Deployment(name, version, imageTag ?? version, progressDeadlineSeconds),
            ["service.yaml"] = $"""
                apiVersion: v1
                kind: Service
                metadata:
                  name: {name}
                spec:
                  selector:
                    app: {name}
                  ports:
                  - name: http
                    port: {servicePort}
                    targetPort: http
                """,
        };

    public static string Deployment(string name, string version, string imageTag, int? progressDeadlineSeconds = null) => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          labels:
            app: {name}
            app.kubernetes.io/version: {version}
        spec:
          replicas: 2
        {(progressDeadlineSeconds is { } d ? $"  progressDeadlineSeconds: {d}\n" : "")}  selector:
            matchLabels:
              app: {name}
          template:
            metadata:
              labels:
                app: {name}
            spec:
              containers:
              - name: app
                image: ghcr.io/example/{name}:{imageTag}
                ports:
                - name: http
                  containerPort: 8080
        """;

    /// <summary>Cluster-wide settings an infrastructure artifact carries.</summary>
    public static Dictionary<string, string> Infrastructure(string version, string? ns = null) => new()
    {
        ["kustomization.yaml"] = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            resources:
            - settings.yaml
            """,
        ["settings.yaml"] = $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cluster-settings
            {(ns is null ? "" : "  namespace: " + ns)}
            data:
              version: {version}
              ingressClass: nginx
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: deployer
            {(ns is null ? "" : "  namespace: " + ns)}
            """,
    };
}
