using System.Text;
using Weir.Helm.Charts;

namespace Weir.Controllers.Tests.HelmReleases.Parts;

/// <summary>The small chart these tests install: a Deployment and a ConfigMap, plus any templates a test adds.</summary>
internal static class WebChart
{
    public const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: {app: web, tier: front}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              initContainers:
              - name: init
                image: busybox:1.36
              containers:
              - name: main
                image: nginx:1.25

        """;

    public const string ConfigMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: hello\n";

    public static Chart With(params (string Name, string Text)[] templates) => new ChartLoader().LoadFiles([
        new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: web\nversion: 1.0.0\n")),
        new ChartFile("templates/deployment.yaml", Encoding.UTF8.GetBytes(Deployment)),
        new ChartFile("templates/configmap.yaml", Encoding.UTF8.GetBytes(ConfigMap)),
        .. templates.Select(t => new ChartFile("templates/" + t.Name, Encoding.UTF8.GetBytes(t.Text))),
    ]);
}
