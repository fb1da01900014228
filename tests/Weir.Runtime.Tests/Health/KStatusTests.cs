using System.Text.Json.Nodes;
using Weir.Runtime.Health;

namespace Weir.Runtime.Tests.Health;

public sealed class KStatusTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string StatusOf(string json) => KStatus.Compute(Obj(json)).Status;

    [Fact]
    public void MissingObjectIsNotFound() => Assert.Equal(HealthStatus.NotFound, KStatus.Compute(null).Status);

    [Fact]
    public void DeploymentWithoutStatusIsInProgress()
    {
        var health = KStatus.Compute(Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":1},"spec":{"replicas":2}}"""));
        Assert.Equal(HealthStatus.InProgress, health.Status);
        Assert.Equal("Replicas: 0/2", health.Message);
    }

    [Fact]
    public void AvailableDeploymentIsCurrent()
    {
        var health = KStatus.Compute(Obj("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":2},"spec":{"replicas":1},
             "status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1,
               "conditions":[{"type":"Available","status":"True"},{"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable"}]}}
            """));
        Assert.Equal(new ObjectHealth(HealthStatus.Current, "Deployment is available. Replicas: 1"), health);
    }

    [Fact]
    public void DeploymentPastItsDeadlineFailed() => Assert.Equal(HealthStatus.Failed, StatusOf("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":1},
         "status":{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}}
        """));

    [Fact]
    public void StaleObservedGenerationIsInProgress()
    {
        var health = KStatus.Compute(Obj("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"a","generation":3},"status":{"observedGeneration":2}}"""));
        Assert.Equal(new ObjectHealth(HealthStatus.InProgress, "Deployment generation is 3, but latest observed generation is 2"), health);
    }

    [Fact]
    public void DeletedObjectIsTerminating() =>
        Assert.Equal(HealthStatus.Terminating, StatusOf("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","deletionTimestamp":"2026-01-01T00:00:00Z"}}"""));

    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"type":"ClusterIP"}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"type":"LoadBalancer"}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"a"},"status":{"phase":"Pending"}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"a"},"status":{"phase":"Bound"}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"a"},"status":{"conditions":[{"type":"Complete","status":"True"}]}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"a"},"status":{"failed":3,"conditions":[{"type":"Failed","status":"True"}]}}""", HealthStatus.Failed)]
    [InlineData("""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"a"},"status":{}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a"},"status":{"desiredNumberScheduled":2,"currentNumberScheduled":2,"updatedNumberScheduled":2,"numberAvailable":2,"numberReady":2}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"name":"a"},"status":{"desiredNumberScheduled":2,"currentNumberScheduled":1}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"a"},"spec":{"replicas":1},"status":{"replicas":1,"readyReplicas":1,"currentReplicas":1,"updatedReplicas":1,"currentRevision":"r1","updateRevision":"r1"}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"a"},"spec":{"replicas":1},"status":{"replicas":1,"readyReplicas":1,"currentReplicas":1,"currentRevision":"r1","updateRevision":"r2"}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"a"},"spec":{"replicas":1},"status":{"replicas":1,"fullyLabeledReplicas":1,"readyReplicas":1,"availableReplicas":1}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"},"status":{"phase":"Failed"}}""", HealthStatus.Failed)]
    [InlineData("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"a"},"status":{"conditions":[{"type":"Established","status":"True"}]}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"a"}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"False","message":"not yet"}]}}""", HealthStatus.InProgress)]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a","generation":1},"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True"}]}}""", HealthStatus.Current)]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a"},"status":{"conditions":[{"type":"Stalled","status":"True","message":"bad"}]}}""", HealthStatus.Failed)]
    [InlineData("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"a"},"status":{"conditions":[{"type":"Reconciling","status":"True"}]}}""", HealthStatus.InProgress)]
    public void KindRules(string json, string expected) => Assert.Equal(expected, StatusOf(json));
}
