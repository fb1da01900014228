using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Runtime.Tests.Controllers;

public sealed class EventRecorderTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    [Fact]
    public async Task RepeatedEventsAreCountedNotDuplicated()
    {
        var involved = await cluster.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "evt-target", ["namespace"] = "default" },
        });
        var recorder = new EventRecorder(cluster.Client, "source-controller");
        await recorder.RecordAsync(involved, EventRecorder.Warning, "OCIArtifactPullFailed", "failed to pull artifact");
        await recorder.RecordAsync(involved, EventRecorder.Warning, "OCIArtifactPullFailed", "failed to pull artifact");
        await recorder.RecordAsync(involved, EventRecorder.Normal, "NewArtifact", "stored artifact with revision 'v1@sha256:aa'",
            new Dictionary<string, string> { ["source.toolkit.fluxcd.io/revision"] = "v1@sha256:aa" });

        var (events, _) = await cluster.Client.ListAsync(KubeResource.Event, "default");
        var mine = events.Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == "evt-target").ToList();
        Assert.Equal(2, mine.Count);
        var warning = mine.Single(e => e["reason"]!.GetValue<string>() == "OCIArtifactPullFailed");
        Assert.Equal(2, warning["count"]!.GetValue<int>());
        Assert.Equal("Warning", warning["type"]!.GetValue<string>());
        Assert.Equal("source-controller", warning["source"]!["component"]!.GetValue<string>());
        Assert.Equal(involved.Uid(), warning["involvedObject"]!["uid"]!.GetValue<string>());
        var normal = mine.Single(e => e["reason"]!.GetValue<string>() == "NewArtifact");
        Assert.Equal("v1@sha256:aa", normal.Annotation("source.toolkit.fluxcd.io/revision"));
    }
}
