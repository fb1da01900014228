using System.Text.Json.Nodes;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.HelmReleases.Options;

/// <summary>
/// The install and upgrade options of a HelmRelease, each by its effect on the cluster: namespaces created, objects
/// replaced, objects of a failed upgrade cleaned up, validation of values and of fields skipped.
/// </summary>
public sealed class ReleaseOptionsTests(HelmReleaseHarness stack) : IClassFixture<HelmReleaseHarness>
{
    [Fact]
    public async Task CreateNamespaceCreatesTheTargetNamespaceAndWithoutItTheInstallFails()
    {
        const string ns = "hr-opt-createns";
        await stack.PublishAsync(ns, "created", TestCharts.App("created", "1.0.0"));
        await stack.CreateHelmReleaseAsync(ns, "created", "created", new JsonObject
        {
            ["targetNamespace"] = "hr-opt-made",
            ["install"] = new JsonObject { ["createNamespace"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "missing", "created", new JsonObject { ["targetNamespace"] = "hr-opt-absent" });

        var created = await stack.WaitForHelmReleaseAsync(ns, "created", r => IsReady(r, "True"), "installed into a namespace it created");
        Assert.Equal("Helm install succeeded for release hr-opt-made/hr-opt-made-created.v1 with chart created@1.0.0", Message(Ready(created)!));
        Assert.Equal("hr-opt-made", await stack.Kubectl.OkAsync("get", "namespace", "hr-opt-made", "-o", "jsonpath={.metadata.labels.name}"));
        Assert.Equal("deployment.apps/hr-opt-made-created", (await stack.Kubectl.OkAsync("get", "deployments", "-n", "hr-opt-made", "-o", "name")).Trim());

        var missing = await stack.WaitForHelmReleaseAsync(ns, "missing", r => IsReady(r, "False") && Reason(Ready(r)!) != "Progressing", "failed without its namespace");
        Assert.StartsWith("Helm install failed for release hr-opt-absent/hr-opt-absent-missing with chart created@1.0.0: ", Message(Ready(missing)!));
        Assert.Contains("namespaces \"hr-opt-absent\" not found", Message(Ready(missing)!));
        Assert.Contains("NotFound", (await stack.Kubectl.RunAsync("get", "namespace", "hr-opt-absent")).Err);
    }

    [Fact]
    public async Task UpgradeForceReplacesObjectsWhenNotAppliedServerSideAndIsIgnoredWhenItIs()
    {
        const string ns = "hr-opt-force";
        await stack.PublishAsync(ns, "forced", TestCharts.App("forced", "1.0.0"));
        await stack.CreateHelmReleaseAsync(ns, "replaced", "forced", new JsonObject
        {
            ["upgrade"] = new JsonObject { ["force"] = true, ["serverSideApply"] = "disabled" },
        });
        await stack.CreateHelmReleaseAsync(ns, "applied", "forced", new JsonObject { ["upgrade"] = new JsonObject { ["force"] = true } });
        foreach (var name in new[] { "replaced", "applied" })
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");

            // Another field manager adds a label; applying the chart server-side leaves it, replacing the object drops it.
            await stack.Kubectl.OkAsync("label", "configmap", $"{name}-config", "-n", ns, "added-by=kubectl");
            await stack.PatchHelmReleaseAsync(ns, name, new JsonObject { ["values"] = new JsonObject { ["greeting"] = "upgraded" } });
        }

        foreach (var name in new[] { "replaced", "applied" })
        {
            var upgraded = await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True") && Reason(Ready(r)!) == "UpgradeSucceeded", "upgraded");
            Assert.Equal($"Helm upgrade succeeded for release {ns}/{name}.v2 with chart forced@1.0.0", Message(Ready(upgraded)!));
            Assert.Equal("upgraded", await stack.Kubectl.OkAsync("get", "configmap", $"{name}-config", "-n", ns, "-o", "jsonpath={.data.greeting}"));
        }

        Assert.Equal("", await stack.Kubectl.OkAsync("get", "configmap", "replaced-config", "-n", ns, "-o", "jsonpath={.metadata.labels.added-by}"));
        Assert.Equal("kubectl", await stack.Kubectl.OkAsync("get", "configmap", "applied-config", "-n", ns, "-o", "jsonpath={.metadata.labels.added-by}"));
    }

    [Fact]
    public async Task CleanupOnFailDeletesWhatAFailedUpgradeCreated()
    {
        const string ns = "hr-opt-cleanup";
        const string extra = """
            {{- if .Values.extra }}
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-extra
            data: {}
            {{- end }}
            """;
        await stack.PublishAsync(ns, "cleaned", TestCharts.App("cleaned", "1.0.0", ("templates/extra.yaml", extra)));
        await stack.CreateHelmReleaseAsync(ns, "cleaned", "cleaned", new JsonObject
        {
            ["upgrade"] = new JsonObject { ["timeout"] = "2s", ["cleanupOnFail"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "kept", "cleaned", new JsonObject { ["upgrade"] = new JsonObject { ["timeout"] = "2s" } });
        foreach (var name in new[] { "cleaned", "kept" })
        {
            await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "True"), "installed");

            // The upgrade adds a ConfigMap and a Deployment image that never becomes ready.
            await stack.PatchHelmReleaseAsync(ns, name, new JsonObject { ["values"] = new JsonObject { ["extra"] = true, ["tag"] = "1.25-broken" } });
        }

        foreach (var name in new[] { "cleaned", "kept" })
        {
            var failed = await stack.WaitForHelmReleaseAsync(ns, name, r => IsReady(r, "False") && Reason(Ready(r)!) == "UpgradeFailed", "upgrade failed");
            Assert.StartsWith($"Helm upgrade failed for release {ns}/{name} with chart cleaned@1.0.0: timeout waiting for: [Deployment/{ns}/{name} status: 'InProgress'",
                Message(Ready(failed)!));
        }

        Assert.Contains("NotFound", (await stack.Kubectl.RunAsync("get", "configmap", "cleaned-extra", "-n", ns)).Err);
        Assert.Equal("configmap/kept-extra", (await stack.Kubectl.OkAsync("get", "configmap", "kept-extra", "-n", ns, "-o", "name")).Trim());
        var failure = (await stack.EventsAsync(ns, "cleaned")).Single(e => e["reason"]!.GetValue<string>() == "UpgradeFailed")["message"]!.GetValue<string>();
        Assert.Contains(": cleanup on fail set, cleaning up resources: {\"count\":1}\n", failure + "\n");
        Assert.Contains(": resource cleanup complete: {}", failure);
    }

    [Fact]
    public async Task DisableSchemaValidationAndDisableOpenApiValidationLetWhatWouldFailThrough()
    {
        const string ns = "hr-opt-validate";
        const string schema = """
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
             "properties": {"greeting": {"type": "string", "enum": ["hello", "hi"]}}}
            """;
        const string unknownField = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{ .Release.Name }}-odd
            data: {}
            colour: blue
            """;
        await stack.PublishAsync(ns, "loose", TestCharts.App("loose", "1.0.0", ("values.schema.json", schema)));
        await stack.AddChartAsync(ns, "odd", TestCharts.App("odd", "1.0.0", ("templates/odd.yaml", unknownField)));
        var outOfSchema = new JsonObject { ["greeting"] = "bonjour" };
        await stack.CreateHelmReleaseAsync(ns, "schema-checked", "loose", new JsonObject { ["values"] = outOfSchema.DeepClone() });
        await stack.CreateHelmReleaseAsync(ns, "schema-skipped", "loose", new JsonObject
        {
            ["values"] = outOfSchema.DeepClone(),
            ["install"] = new JsonObject { ["disableSchemaValidation"] = true },
        });
        await stack.CreateHelmReleaseAsync(ns, "fields-checked", "odd");
        await stack.CreateHelmReleaseAsync(ns, "fields-skipped", "odd", new JsonObject { ["install"] = new JsonObject { ["disableOpenAPIValidation"] = true } });

        var checkedSchema = await stack.WaitForHelmReleaseAsync(ns, "schema-checked", r => IsReady(r, "False") && Reason(Ready(r)!) == "InstallFailed", "schema error");
        Assert.StartsWith($"Helm install failed for release {ns}/schema-checked with chart loose@1.0.0: values don't meet the specifications of the schema(s)", Message(Ready(checkedSchema)!));
        Assert.Contains("greeting", Message(Ready(checkedSchema)!));
        var skippedSchema = await stack.WaitForHelmReleaseAsync(ns, "schema-skipped", r => IsReady(r, "True"), "installed past the schema");
        Assert.Equal($"Helm install succeeded for release {ns}/schema-skipped.v1 with chart loose@1.0.0", Message(Ready(skippedSchema)!));
        Assert.Equal("bonjour", await stack.Kubectl.OkAsync("get", "configmap", "schema-skipped-config", "-n", ns, "-o", "jsonpath={.data.greeting}"));

        var checkedFields = await stack.WaitForHelmReleaseAsync(ns, "fields-checked", r => IsReady(r, "False") && Reason(Ready(r)!) == "InstallFailed", "unknown field rejected");
        Assert.Contains("strict decoding error: unknown field \"colour\"", Message(Ready(checkedFields)!));
        var skippedFields = await stack.WaitForHelmReleaseAsync(ns, "fields-skipped", r => IsReady(r, "True"), "unknown field ignored");
        Assert.Equal($"Helm install succeeded for release {ns}/fields-skipped.v1 with chart odd@1.0.0", Message(Ready(skippedFields)!));
        Assert.Equal("configmap/fields-skipped-odd", (await stack.Kubectl.OkAsync("get", "configmap", "fields-skipped-odd", "-n", ns, "-o", "name")).Trim());
    }
}
