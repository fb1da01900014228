using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Tests;

/// <summary>Bad requests get the Status error the real API server gives, and the server keeps serving.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private readonly string _dataDir = TestEnv.TempDir("weir-bad-");
    private ClusterServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await ClusterServer.StartAsync(new ClusterOptions { DataDir = _dataDir, RetainedChanges = 10 });
        _http = _server.CreateHttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<(HttpStatusCode Code, JsonObject? Status, string Body)> Send(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? status = null;
        try
        {
            status = JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Plain-text 404 page.
        }
        return (response.StatusCode, status, text);
    }

    private async Task AssertStatus(HttpStatusCode code, string reason, string messagePart, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var (actual, status, text) = await Send(method, path, body, contentType);
        Assert.True(actual == code, $"{method} {path}: expected {code}, got {actual}: {text}");
        Assert.NotNull(status);
        Assert.Equal("Status", status["kind"]?.GetValue<string>());
        Assert.Equal("Failure", status["status"]?.GetValue<string>());
        Assert.Equal((int)code, status["code"]?.GetValue<int>());
        Assert.Equal(reason, status["reason"]?.GetValue<string>());
        Assert.Contains(messagePart, status["message"]?.GetValue<string>());
        await AssertStillServing();
    }

    private async Task AssertStillServing()
    {
        using var response = await _http.GetAsync("/api/v1/namespaces/default");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public Task MalformedJson() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "ConfigMap in version \"v1\" cannot be handled as a ConfigMap", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\": {\"name\": ");

    [Fact]
    public Task MalformedYaml() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "error converting YAML to JSON", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "metadata:\n  name: [unclosed\n", "application/yaml");

    [Fact]
    public async Task YamlBodyIsAccepted()
    {
        var (code, status, _) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  port: \"80\"\n", "application/yaml");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("80", status!["data"]!["port"]!.GetValue<string>());
    }

    [Fact]
    public async Task YamlBodyExpandsAliasesAndResolvesYaml11Scalars()
    {
        var (code, status, _) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml-alias\n  labels:\n    a: &v shared\n    b: *v\ndata:\n  flag: \"yes\"\n", "application/yaml");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("shared", status!["metadata"]!["labels"]!["b"]!.GetValue<string>());
        Assert.Equal("yes", status["data"]!["flag"]!.GetValue<string>());
    }

    [Fact]
    public Task YamlBodyWithUnquotedYesIsABoolean() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "cannot be handled as a ConfigMap", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml-yes\ndata:\n  flag: yes\n", "application/yaml");

    [Fact]
    public Task YamlBodyWithDuplicateFieldIsRejected() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "already defined at line", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\n  name: dup2\n", "application/yaml");

    [Fact]
    public Task WrongApiVersion() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "the API version in the data (apps/v1) does not match the expected API version (v1)", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}");

    [Fact]
    public Task WrongKind() =>
        AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "the kind in the data (Secret) does not match the expected kind (ConfigMap)", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"x\"}}");

    [Fact]
    public async Task NonDns1123Names()
    {
        await AssertStatus((HttpStatusCode)422, "Invalid", "ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain", HttpMethod.Post,
            "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"Bad_Name\"}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "Namespace \"a.b\" is invalid: metadata.name: Invalid value: \"a.b\": a lowercase RFC 1123 label", HttpMethod.Post,
            "/api/v1/namespaces", "{\"metadata\":{\"name\":\"a.b\"}}");
        var (_, status, _) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"Bad_Name\"}}");
        var cause = status!["details"]!["causes"]![0]!;
        Assert.Equal("FieldValueInvalid", cause["reason"]!.GetValue<string>());
        Assert.Equal("metadata.name", cause["field"]!.GetValue<string>());
    }

    [Fact]
    public Task ObjectOverLimit() =>
        AssertStatus(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "Request entity too large", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "{\"metadata\":{\"name\":\"huge\"},\"data\":{\"blob\":\"" + new string('x', 1600 * 1024) + "\"}}");

    [Fact]
    public Task BodyOverLimit() =>
        AssertStatus(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "Request entity too large", HttpMethod.Post, "/api/v1/namespaces/default/configmaps",
            "{\"metadata\":{\"name\":\"huger\"},\"data\":{\"blob\":\"" + new string('x', 3300 * 1024) + "\"}}");

    [Fact]
    public async Task UnknownResourcesAndPaths()
    {
        await AssertStatus(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource", HttpMethod.Get, "/api/v1/namespaces/default/widgets");
        await AssertStatus(HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource", HttpMethod.Get, "/apis/nope.example.com/v1/things");
        var (code, _, body) = await Send(HttpMethod.Get, "/no/such/path");
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("404 page not found", body);
        await AssertStatus(HttpStatusCode.NotFound, "NotFound", "configmaps \"missing\" not found", HttpMethod.Get, "/api/v1/namespaces/default/configmaps/missing");
    }

    [Fact]
    public async Task MethodsAndMediaTypes()
    {
        await AssertStatus(HttpStatusCode.MethodNotAllowed, "MethodNotAllowed", "does not allow this method", HttpMethod.Put, "/api/v1/namespaces/default/configmaps", "{}");
        await AssertStatus(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "the body of the request was in an unknown format", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "k8s\0", "application/vnd.kubernetes.protobuf");
        await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"patchme\"}}");
        await AssertStatus(HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType", "accepted media types include", HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/patchme", "{}", "text/plain");
    }

    [Fact]
    public async Task ConflictsAndMissingNamespaces()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"dup\"}}");
        await AssertStatus(HttpStatusCode.Conflict, "AlreadyExists", "configmaps \"dup\" already exists", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"dup\"}}");
        await AssertStatus(HttpStatusCode.Conflict, "Conflict", "the object has been modified", HttpMethod.Put, "/api/v1/namespaces/default/configmaps/dup", "{\"metadata\":{\"name\":\"dup\",\"resourceVersion\":\"1\"}}");
        await AssertStatus(HttpStatusCode.NotFound, "NotFound", "namespaces \"ghost\" not found", HttpMethod.Post, "/api/v1/namespaces/ghost/configmaps", "{\"metadata\":{\"name\":\"x\"}}");
        await AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "does not match the namespace", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":\"x\",\"namespace\":\"other\"}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "name or generateName is required", HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{}}");
    }

    [Fact]
    public async Task BadSelectorsAndTokens()
    {
        await AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "unable to parse requirement", HttpMethod.Get, "/api/v1/namespaces/default/configmaps?labelSelector=app%20in%20web");
        await AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "\"spec.foo\" is not a known field selector", HttpMethod.Get, "/api/v1/namespaces/default/configmaps?fieldSelector=spec.foo%3Dx");
        await AssertStatus(HttpStatusCode.Gone, "Expired", "continue parameter is too old", HttpMethod.Get, "/api/v1/namespaces/default/configmaps?limit=1&continue=not-a-token");
        await AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "strict decoding error: unknown field \"spec\"", HttpMethod.Post, "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", "{\"metadata\":{\"name\":\"strict\"},\"spec\":{}}");
    }

    [Fact]
    public async Task BuiltinSchemaAndCrossFieldValidation()
    {
        await AssertStatus(HttpStatusCode.BadRequest, "BadRequest", "Deployment in version \"v1\" cannot be handled as a Deployment: spec.replicas", HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments",
            "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"replicas\":\"two\",\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "Deployment.apps \"d\" is invalid: spec.template.spec.containers[0].name: Required value", HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments",
            "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"image\":\"i\"}]}}}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "spec.template.spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"", HttpMethod.Post, "/apis/apps/v1/namespaces/default/deployments",
            "{\"metadata\":{\"name\":\"d\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"imagePullPolicy\":\"Sometimes\"}]}}}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "Service \"s\" is invalid: spec.ports[0].port: Required value", HttpMethod.Post, "/api/v1/namespaces/default/services",
            "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"targetPort\":8080}]}}");
        var (code, svc, _) = await Send(HttpMethod.Post, "/api/v1/namespaces/default/services", "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":\"http\"}]}}");
        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("ClusterIP", svc!["spec"]!["type"]!.GetValue<string>());
        var rv = svc["metadata"]!["resourceVersion"]!.GetValue<string>();
        await AssertStatus((HttpStatusCode)422, "Invalid", "spec.clusterIP: Invalid value: \"10.0.0.9\": field is immutable", HttpMethod.Put, "/api/v1/namespaces/default/services/s",
            "{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"" + rv + "\"},\"spec\":{\"clusterIP\":\"10.0.0.9\",\"ports\":[{\"port\":80}]}}");
        await AssertStatus((HttpStatusCode)422, "Invalid", "Service \"1svc\" is invalid: metadata.name: Invalid value: \"1svc\": a DNS-1035 label", HttpMethod.Post, "/api/v1/namespaces/default/services",
            "{\"metadata\":{\"name\":\"1svc\"},\"spec\":{\"ports\":[{\"port\":80}]}}");

        var job = "{\"metadata\":{\"name\":\"j\"},\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Never\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}";
        var (jobCode, created, _) = await Send(HttpMethod.Post, "/apis/batch/v1/namespaces/default/jobs", job);
        Assert.Equal(HttpStatusCode.Created, jobCode);
        Assert.NotNull(created!["spec"]!["selector"]);
        await AssertStatus((HttpStatusCode)422, "Invalid", "spec.template: Invalid value:", HttpMethod.Patch, "/apis/batch/v1/namespaces/default/jobs/j",
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"alpine\"}]}}}}", "application/merge-patch+json");
    }

    [Fact]
    public async Task WatchFromCompactedRevisionIsGone()
    {
        for (var i = 0; i < 30; i++)
        {
            await Send(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"generateName\":\"churn-\"}}");
        }
        using var response = await _http.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=2", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync();
        var evt = JsonNode.Parse(line!)!;
        Assert.Equal("ERROR", evt["type"]!.GetValue<string>());
        Assert.Equal(410, evt["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", evt["object"]!["reason"]!.GetValue<string>());
        Assert.Null(await reader.ReadLineAsync());
        await AssertStillServing();
    }

    [Fact]
    public async Task TerminatingNamespaceRefusesNewContent()
    {
        await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"metadata\":{\"name\":\"closing\"}}");
        await Send(HttpMethod.Post, "/api/v1/namespaces/closing/configmaps", "{\"metadata\":{\"name\":\"held\",\"finalizers\":[\"example.com/hold\"]}}");
        var (code, ns, _) = await Send(HttpMethod.Delete, "/api/v1/namespaces/closing");
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Terminating", ns!["status"]!["phase"]!.GetValue<string>());
        await AssertStatus(HttpStatusCode.Forbidden, "Forbidden", "unable to create new content in namespace closing because it is being terminated", HttpMethod.Post,
            "/api/v1/namespaces/closing/configmaps", "{\"metadata\":{\"name\":\"late\"}}");
        await Send(HttpMethod.Patch, "/api/v1/namespaces/closing/configmaps/held", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json");
        for (var i = 0; i < 50 && (await Send(HttpMethod.Get, "/api/v1/namespaces/closing")).Code == HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/namespaces/closing")).Code);
    }
}
