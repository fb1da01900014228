using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Yaml;
using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests;

/// <summary>Random overlays over a generated base, built by Weir and by kubectl kustomize: the results must agree.</summary>
public sealed class GeneratedOverlayPropertyTests
{
    private const int Cases = 30;

    [Fact]
    public void RandomOverlaysAgreeWithKubectl()
    {
        var disagreements = new List<string>();
        for (var seed = 0; seed < Cases; seed++)
        {
            var dir = Directory.CreateTempSubdirectory("weir-kprop-").FullName;
            try
            {
                WriteCase(dir, new Random(seed));
                var overlay = Path.Combine(dir, "overlay");
                var (code, stdout, stderr) = KubectlOracle.Kustomize(overlay);
                if (code != 0)
                {
                    Assert.Throws<KustomizeException>(() => Kustomizer.Build(overlay));
                    continue;
                }

                var expected = KubeYaml.ParseAll(stdout).Where(d => d is not null).ToList();
                var actual = Kustomizer.Build(overlay);
                if (expected.Count != actual.Count || expected.Zip(actual).Any(p => !JsonNode.DeepEquals(p.First, p.Second)))
                {
                    disagreements.Add($"seed {seed}: {File.ReadAllText(Path.Combine(overlay, "kustomization.yaml"))}");
                }
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n---\n", disagreements));
    }

    private static void WriteCase(string dir, Random rnd)
    {
        var app = "app" + rnd.Next(100);
        Directory.CreateDirectory(Path.Combine(dir, "base"));
        Directory.CreateDirectory(Path.Combine(dir, "overlay"));
        File.WriteAllText(Path.Combine(dir, "base", "resources.yaml"), $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {app}
              labels:
                app: {app}
            spec:
              replicas: {rnd.Next(1, 5)}
              selector:
                matchLabels:
                  app: {app}
              template:
                metadata:
                  labels:
                    app: {app}
                spec:
                  serviceAccountName: {app}-sa
                  containers:
                  - name: main
                    image: nginx:1.{rnd.Next(10, 30)}
                    envFrom:
                    - configMapRef:
                        name: {app}-config
                  volumes:
                  - name: secret
                    secret:
                      secretName: {app}-secret
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: {app}
            spec:
              selector:
                app: {app}
              ports:
              - port: 80
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: {app}-sa
            """);
        File.WriteAllText(Path.Combine(dir, "base", "kustomization.yaml"), $"""
            resources:
            - resources.yaml
            configMapGenerator:
            - name: {app}-config
              literals:
              - MODE=base
            secretGenerator:
            - name: {app}-secret
              literals:
              - token=t{rnd.Next(1000)}
            """);

        var k = new StringBuilder("resources:\n- ../base\n");
        if (rnd.Next(2) == 0)
        {
            k.Append($"namePrefix: p{rnd.Next(9)}-\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"nameSuffix: -s{rnd.Next(9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"namespace: ns{rnd.Next(9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"commonLabels:\n  team: t{rnd.Next(9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"labels:\n- pairs:\n    tier: x{rnd.Next(9)}\n  includeTemplates: {(rnd.Next(2) == 0 ? "true" : "false")}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"commonAnnotations:\n  note: n{rnd.Next(9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"images:\n- name: nginx\n  newTag: \"1.{rnd.Next(30, 40)}\"\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"replicas:\n- name: {app}\n  count: {rnd.Next(1, 9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"configMapGenerator:\n- name: {app}-config\n  behavior: merge\n  literals:\n  - EXTRA=e{rnd.Next(9)}\n");
        }

        if (rnd.Next(2) == 0)
        {
            k.Append($"patches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/spec/containers/0/args\n      value: [\"--v={rnd.Next(5)}\"]\n");
        }
        else if (rnd.Next(2) == 0)
        {
            k.Append($"patches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: {app}\n    spec:\n      template:\n        spec:\n          containers:\n          - name: side\n            image: busybox\n");
        }

        File.WriteAllText(Path.Combine(dir, "overlay", "kustomization.yaml"), k.ToString());
    }
}
