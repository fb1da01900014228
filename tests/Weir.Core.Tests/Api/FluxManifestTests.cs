using System.Text.Json.Nodes;
using Weir.Core.Api;

namespace Weir.Core.Tests.Api;

/// <summary>Real users' Flux manifests (from the shared corpus) survive a typed round trip unchanged (the embedded API server's tests check they validate).</summary>
public class FluxManifestTests
{
    [Fact]
    public void CorpusManifestsRoundTripUnchanged()
    {
        var manifests = FluxCorpus.Manifests();
        Assert.NotEmpty(manifests);
        foreach (var (file, original) in manifests)
        {
            var again = RoundTrip(original);
            Assert.True(JsonNode.DeepEquals(original, again),
                $"{file}: round trip changed the object\n{original.ToJsonString()}\n{again.ToJsonString()}");
        }
    }

    [Fact]
    public void StatusAndMetadataRoundTripUnchanged()
    {
        var obj = JsonNode.Parse("""
            {"apiVersion":"kustomize.toolkit.fluxcd.io/v1","kind":"Kustomization",
             "metadata":{"name":"apps","namespace":"flux-system","generation":3,"resourceVersion":"42",
               "uid":"0d3c1f2e-1111-2222-3333-444455556666","creationTimestamp":"2026-06-06T14:30:00Z",
               "labels":{"team":"a"},"finalizers":["finalizers.fluxcd.io"],
               "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"u1","controller":true,"blockOwnerDeletion":false}],
               "managedFields":[{"manager":"kubectl","operation":"Apply"}]},
             "spec":{"interval":"10m","prune":true,"sourceRef":{"kind":"OCIRepository","name":"my-app"},"path":"./deploy"},
             "status":{"observedGeneration":3,"lastAppliedRevision":"v2.1.0@sha256:abc123",
               "conditions":[{"type":"Ready","status":"True","observedGeneration":3,
                 "lastTransitionTime":"2026-06-08T14:30:00Z","reason":"ReconciliationSucceeded",
                 "message":"Applied revision: v2.1.0@sha256:abc123"}],
               "inventory":{"entries":[{"id":"default_podinfo_apps_Deployment","v":"v1"}]},
               "history":[{"digest":"sha256:1","firstReconciled":"2026-06-08T14:00:00Z","lastReconciled":"2026-06-08T14:30:00Z",
                 "lastReconciledDuration":"1.2s","lastReconciledStatus":"ReconciliationSucceeded","totalReconciliations":2,
                 "metadata":{"revision":"v2.1.0@sha256:abc123"}}]}}
            """)!.AsObject();

        Assert.True(JsonNode.DeepEquals(obj, RoundTrip(obj)), RoundTrip(obj).ToJsonString());
    }

    private static JsonObject RoundTrip(JsonObject original) => ApiObjects.Write(ApiObjects.Read(original));
}
