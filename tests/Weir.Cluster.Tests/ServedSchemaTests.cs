namespace Weir.Cluster.Tests;

/// <summary>
/// The built-in kinds are validated, applied and explained with the OpenAPI of the Kubernetes version the server
/// reports (<see cref="Weir.Core.OpenApi.KubernetesOpenApi.ServerVersion"/>), through the real kubectl: fields newer
/// than Kubernetes 1.21 pass a server-side dry-run, unknown fields still fail it.
/// </summary>
public sealed class ServedSchemaTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string Claim = """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: restored
          namespace: default
        spec:
          accessModes: [ReadWriteOnce]
          resources:
            requests:
              storage: 1Gi
          {0}:
            apiGroup: volsync.backube
            kind: ReplicationDestination
            name: restored-dst
        """;

    private Kubectl NewKubectl() => new(Weir.Testing.Kubectl.Path(), cluster.Kubeconfig, TestEnv.TempDir("weir-schema-"));

    [Fact]
    public async Task AClaimWithDataSourceRefPassesAServerSideDryRun()
    {
        var k = NewKubectl();
        var file = Path.Combine(k.WorkDir, "pvc.yaml");
        await File.WriteAllTextAsync(file, string.Format(System.Globalization.CultureInfo.InvariantCulture, Claim, "dataSourceRef"));

        Assert.Equal("persistentvolumeclaim/restored serverside-applied (server dry run)\n",
            await k.OkAsync("apply", "--server-side", "--dry-run=server", "-f", file));
        Assert.Equal("persistentvolumeclaim/restored created (server dry run)\n", await k.OkAsync("create", "--dry-run=server", "-f", file));
    }

    [Fact]
    public async Task AnUnknownClaimFieldStillFailsTheDryRun()
    {
        var k = NewKubectl();
        var file = Path.Combine(k.WorkDir, "pvc.yaml");
        await File.WriteAllTextAsync(file, string.Format(System.Globalization.CultureInfo.InvariantCulture, Claim, "dataSourceRefs"));

        var result = await k.RunAsync("apply", "--server-side", "--dry-run=server", "-f", file);

        Assert.NotEqual(0, result.Code);
        Assert.Contains("unknown field \"spec.dataSourceRefs\"", result.Err);
    }

    [Fact]
    public async Task KubectlExplainShowsTheNewerFields()
    {
        var k = NewKubectl();
        var field = await k.OkAsync("explain", "persistentvolumeclaim.spec.dataSourceRef");
        var spec = await k.OkAsync("explain", "persistentvolumeclaim.spec");

        Assert.Contains("FIELD: dataSourceRef <TypedObjectReference>", field);
        Assert.Contains("  dataSourceRef\t<TypedObjectReference>\n", spec);
        // kubectl wraps descriptions to its terminal width.
        Assert.Contains("dataSourceRef specifies the object from which to populate the volume with data",
            System.Text.RegularExpressions.Regex.Replace(spec, "\\s+", " "));
    }
}
