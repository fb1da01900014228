using System.Net;
using System.Net.Http.Headers;

namespace Weir.Cluster.Tests;

/// <summary>Protobuf bodies the decoder cannot handle answer Kubernetes-style errors (real kubectl covers the good path).</summary>
public sealed class ProtobufBodyTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private async Task<HttpStatusCode> Post(byte[] body)
    {
        using var http = cluster.Http();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        using var response = await http.PostAsync("/api/v1/namespaces", content);
        return response.StatusCode;
    }

    [Fact]
    public async Task MalformedOrUnknownBodies()
    {
        Assert.Equal(HttpStatusCode.BadRequest, await Post("not protobuf"u8.ToArray()));
        // Magic, then a TypeMeta field whose length runs past the end.
        Assert.Equal(HttpStatusCode.BadRequest, await Post([.. "k8s\0"u8.ToArray(), 0x0a, 0x40, 0x0a]));
        // A well-formed envelope for a kind the decoder does not know.
        byte[] typeMeta = [0x0a, 0x02, .. "v1"u8.ToArray(), 0x12, 0x03, .. "Pod"u8.ToArray()];
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, await Post([.. "k8s\0"u8.ToArray(), 0x0a, (byte)typeMeta.Length, .. typeMeta, 0x12, 0x00]));
    }
}
