namespace Weir.Bench.Scale;

/// <summary>
/// One app of the Flux benchmark's shape: a Deployment scaled to 0, a ServiceAccount, a Service and an Ingress, named
/// by post-build substitution so every Kustomization applies its own copy of the same artifact.
/// </summary>
internal static class AppManifests
{
    public const string Namespace = "apps";

    public static IReadOnlyDictionary<string, string> Files { get; } = new Dictionary<string, string>
    {
        ["app.yaml"] = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: ${app}
              namespace: apps
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: ${app}
              namespace: apps
              labels:
                app: ${app}
            spec:
              replicas: 0
              selector:
                matchLabels:
                  app: ${app}
              template:
                metadata:
                  labels:
                    app: ${app}
                spec:
                  serviceAccountName: ${app}
                  containers:
                    - name: app
                      image: ghcr.io/stefanprodan/podinfo:6.5.0
                      ports:
                        - name: http
                          containerPort: 9898
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: ${app}
              namespace: apps
            spec:
              selector:
                app: ${app}
              ports:
                - name: http
                  port: 80
                  targetPort: http
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: ${app}
              namespace: apps
            spec:
              rules:
                - host: ${app}.example.com
                  http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: ${app}
                            port:
                              name: http
            """,
    };
}
