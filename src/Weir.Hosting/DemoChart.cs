using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Charts;
using Weir.Helm.Registry;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;

namespace Weir.Hosting;

/// <summary>
/// The demo's Helm half: the chart <c>my-app</c> 1.2.3 published to the embedded registry as Helm pushes charts, and
/// in the app's namespace <c>my-app</c> an OCIRepository selecting its chart layer and the HelmRelease that installs
/// it — so <c>kubectl get helmrelease -A</c> shows the seeds' row. The scenarios package variants of the same chart
/// (<see cref="Files"/>, <see cref="PushAsync"/>).
/// </summary>
public sealed class DemoChart(ResourceClient client, string registryHost, TextWriter output)
{
    public const string Namespace = "my-app";
    public const string Name = "my-app";
    public const string Version = "1.2.3";

    /// <summary>The registry repository the chart is pushed under (the chart is <c>REPOSITORY/my-app:1.2.3</c>).</summary>
    private string Repository => $"{registryHost}/demo/charts";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await PublishAsync(cancellationToken);
        await CreateObjectsAsync(cancellationToken);
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var options = new RegistryClientOptions { Insecure = true };
        using (var registry = new RegistryClient(registryHost, options))
        {
            try
            {
                await registry.HeadManifestAsync("demo/charts/" + Name, ChartRegistryClient.TagOf(Version), cancellationToken);
                output.WriteLine($"Demo: oci://{Repository}/{Name}:{Version} is already published");
                return;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                // First run: publish it below.
            }
        }

        var digest = await PushAsync(Repository, Files(), cancellationToken);
        output.WriteLine($"Demo: pushed chart oci://{Repository}/{Name}:{Version} ({digest})");
    }

    /// <summary>Packages the chart files and pushes the chart under <paramref name="repository"/> (<c>HOST/PATH</c>) as <c>helm push</c> does; returns its digest.</summary>
    public static async Task<string> PushAsync(string repository, IReadOnlyDictionary<string, string> files, CancellationToken cancellationToken)
    {
        var chart = new ChartLoader().LoadFiles([.. files.Select(f => new ChartFile(f.Key, Encoding.UTF8.GetBytes(f.Value)))]);
        using var archive = new MemoryStream();
        ChartPackager.Write(chart, archive);
        var pushed = await new ChartRegistryClient(new RegistryClientOptions { Insecure = true })
            .PushAsync(OciReference.Parse($"oci://{repository}"), archive.ToArray(), ct: cancellationToken);
        return pushed.Digest;
    }

    private async Task CreateObjectsAsync(CancellationToken cancellationToken)
    {
        await CreateIfMissingAsync(KubeResource.Namespace, new ObjectKey("", Namespace), new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = Namespace },
        }, cancellationToken);
        await CreateIfMissingAsync(KubeResource.OCIRepository, new ObjectKey(Namespace, Name), new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["url"] = $"oci://{Repository}/{Name}",
                ["interval"] = "1m",
                ["insecure"] = true,
                ["ref"] = new JsonObject { ["semver"] = ">=1.0.0" },
                ["layerSelector"] = new JsonObject { ["mediaType"] = MediaTypes.HelmChartContent, ["operation"] = "copy" },
            },
        }, cancellationToken);
        await CreateIfMissingAsync(KubeResource.HelmRelease, new ObjectKey(Namespace, Name), new JsonObject
        {
            ["apiVersion"] = "helm.toolkit.fluxcd.io/v2",
            ["kind"] = "HelmRelease",
            ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["timeout"] = "2m",
                ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = Name },
                ["values"] = new JsonObject { ["replicaCount"] = 1 },
            },
        }, cancellationToken);
    }

    private async Task CreateIfMissingAsync(KubeResource resource, ObjectKey key, JsonObject obj, CancellationToken cancellationToken)
    {
        if (await client.GetAsync(resource, key, cancellationToken) is null)
        {
            await client.CreateAsync(resource, obj, cancellationToken);
        }
    }

    /// <summary>
    /// The chart's files: a Deployment and a Service of the sample app, as <c>helm create</c> would lay them out, at
    /// <paramref name="version"/> deploying image tag <paramref name="imageTag"/>; <paramref name="extra"/> adds or
    /// replaces files (a schema, a test hook).
    /// </summary>
    public static Dictionary<string, string> Files(string version = Version, string imageTag = "1.0.0", params (string Path, string Text)[] extra)
    {
        var files = new Dictionary<string, string>(Templates)
        {
            ["Chart.yaml"] = $"""
                apiVersion: v2
                name: {Name}
                description: The Weir demo app
                type: application
                version: {version}
                appVersion: "{imageTag}"
                """,
            ["values.yaml"] = $"""
                replicaCount: 1
                image:
                  repository: ghcr.io/example/my-app
                  tag: "{imageTag}"
                service:
                  port: 80
                """,
        };
        foreach (var (path, text) in extra)
        {
            files[path] = text;
        }

        return files;
    }

    private static readonly IReadOnlyDictionary<string, string> Templates = new Dictionary<string, string>
    {
        ["templates/deployment.yaml"] = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{ .Release.Name }}
              labels:
                app.kubernetes.io/name: {{ .Chart.Name }}
                app.kubernetes.io/instance: {{ .Release.Name }}
                app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
            spec:
              replicas: {{ .Values.replicaCount }}
              selector:
                matchLabels:
                  app.kubernetes.io/instance: {{ .Release.Name }}
              template:
                metadata:
                  labels:
                    app.kubernetes.io/instance: {{ .Release.Name }}
                spec:
                  containers:
                  - name: app
                    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
                    ports:
                    - name: http
                      containerPort: 8080
            """,
        ["templates/service.yaml"] = """
            apiVersion: v1
            kind: Service
            metadata:
              name: {{ .Release.Name }}
              labels:
                app.kubernetes.io/instance: {{ .Release.Name }}
            spec:
              selector:
                app.kubernetes.io/instance: {{ .Release.Name }}
              ports:
              - port: {{ .Values.service.port }}
                targetPort: http
            """,
        ["templates/NOTES.txt"] = """
            {{ .Chart.Name }} {{ .Chart.Version }} is installed as {{ .Release.Namespace }}/{{ .Release.Name }}.
            """,
    };
}
