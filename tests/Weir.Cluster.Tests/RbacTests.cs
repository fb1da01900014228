using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cluster.Auth;

namespace Weir.Cluster.Tests;

/// <summary>Authentication, RBAC with the bootstrap roles, access reviews and impersonation, through real kubectl.</summary>
public sealed class RbacTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private readonly string _work = TestEnv.TempDir("weir-rbac-");
    private Kubectl _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = new Kubectl(Weir.Testing.Kubectl.Path(33), cluster.Kubeconfig, _work);
        foreach (var ns in new[] { "team", "other" })
        {
            if ((await _admin.RunAsync("get", "ns", ns)).Code != 0)
            {
                await _admin.OkAsync("create", "ns", ns);
            }
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Adds a user the way `weir cluster add-user` does and has the admin create its binding.</summary>
    private async Task<Kubectl> UserAsync(string name, string role, string? ns, int minor = 33)
    {
        var added = ClusterUsers.Add(cluster.DataDir, name, role, ns);
        var file = Path.Combine(_work, $"{name}-binding.json");
        File.WriteAllText(file, added.Binding.ToJsonString());
        await _admin.OkAsync("apply", "-f", file);
        return new Kubectl(Weir.Testing.Kubectl.Path(minor), added.KubeconfigPath, _work);
    }

    private static void Forbidden(ProcessResult result, string message, string prefix = "Error from server (Forbidden): ")
    {
        Assert.True(result.Code == 1, result.ToString());
        Assert.True(result.Err.Contains(prefix + message, StringComparison.Ordinal), $"expected {prefix}{message}\nin:\n{result}");
    }

    [Fact]
    public async Task RequestsWithoutAValidTokenAreUnauthorized()
    {
        using var anonymous = cluster.Http(null);
        using var response = await anonymous.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Unauthorized", status["reason"]!.GetValue<string>());
        Assert.Equal(401, status["code"]!.GetValue<int>());
        using var version = await anonymous.GetAsync("/version");
        Assert.Equal(HttpStatusCode.OK, version.StatusCode);

        using var wrong = cluster.Http("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/version")).StatusCode);

        var bad = Path.Combine(_work, "bad.kubeconfig");
        File.WriteAllText(bad, File.ReadAllText(cluster.Kubeconfig).Replace(cluster.Server.AdminToken, "wrong-token", StringComparison.Ordinal));
        var result = await new Kubectl(Weir.Testing.Kubectl.Path(33), bad, _work).RunAsync("get", "ns");
        Assert.Equal(1, result.Code);
        Assert.Contains("error: You must be logged in to the server (Unauthorized)", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ViewUserReadsButCannotWriteOrReadSecrets()
    {
        var viewer = await UserAsync("viewer", "view", null);
        Assert.Contains("kube-system", await viewer.OkAsync("get", "ns"), StringComparison.Ordinal);
        await viewer.OkAsync("get", "cm", "-A");
        Forbidden(await viewer.RunAsync("get", "secrets", "-n", "team"),
            "secrets is forbidden: User \"viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team\"");
        Forbidden(await viewer.RunAsync("create", "cm", "v1", "-n", "team", "--from-literal=a=b"),
            "configmaps is forbidden: User \"viewer\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team\"",
            "error: failed to create configmap: ");
        Forbidden(await viewer.RunAsync("get", "clusterroles"),
            "clusterroles.rbac.authorization.k8s.io is forbidden: User \"viewer\" cannot list resource \"clusterroles\" in API group \"rbac.authorization.k8s.io\" at the cluster scope");
        Forbidden(await viewer.RunAsync("delete", "ns", "other"),
            "namespaces \"other\" is forbidden: User \"viewer\" cannot delete resource \"namespaces\" in API group \"\" in the namespace \"other\"");
    }

    [Fact]
    public async Task EditAndAdminUsersAreConfinedToTheirNamespace()
    {
        var editor = await UserAsync("editor", "edit", "team");
        Assert.Contains("configmap/e1 created", await editor.OkAsync("create", "cm", "e1", "-n", "team", "--from-literal=a=b"), StringComparison.Ordinal);
        await editor.OkAsync("create", "secret", "generic", "s1", "-n", "team", "--from-literal=a=b");
        Assert.Equal("Yg==", await editor.OkAsync("get", "secret", "s1", "-n", "team", "-o", "jsonpath={.data.a}"));
        Forbidden(await editor.RunAsync("get", "cm", "-n", "other"),
            "configmaps is forbidden: User \"editor\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"other\"");
        Forbidden(await editor.RunAsync("create", "role", "r", "-n", "team", "--verb=get", "--resource=pods"),
            "roles.rbac.authorization.k8s.io is forbidden: User \"editor\" cannot create resource \"roles\" in API group \"rbac.authorization.k8s.io\" in the namespace \"team\"");

        var admin = await UserAsync("teamadmin", "admin", "team");
        Assert.Contains("role.rbac.authorization.k8s.io/cm-reader created",
            await admin.OkAsync("create", "role", "cm-reader", "-n", "team", "--verb=get", "--resource=configmaps", "--resource-name=e1"), StringComparison.Ordinal);
        Assert.Contains("created", await admin.OkAsync("create", "rolebinding", "cm-reader", "-n", "team", "--role=cm-reader", "--user=narrow"), StringComparison.Ordinal);
        Forbidden(await admin.RunAsync("get", "ns"),
            "namespaces is forbidden: User \"teamadmin\" cannot list resource \"namespaces\" in API group \"\" at the cluster scope");
        Assert.Contains("team", await admin.OkAsync("get", "ns", "team"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamespacedRoleWithResourceNamesAndSubresources()
    {
        File.WriteAllText(Path.Combine(_work, "role.yaml"), """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: narrow, namespace: team}
            rules:
            - {apiGroups: [""], resources: [configmaps], verbs: [get], resourceNames: [allowed]}
            - {apiGroups: [apps], resources: [deployments/scale], verbs: [get, update, patch]}
            - {apiGroups: [apps], resources: [deployments], verbs: [get]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: narrow, namespace: team}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: narrow}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: narrowuser}]
            """);
        await _admin.OkAsync("apply", "-f", "role.yaml");
        await _admin.OkAsync("create", "cm", "allowed", "-n", "team");
        await _admin.OkAsync("create", "cm", "hidden", "-n", "team");
        await _admin.OkAsync("create", "deployment", "web", "-n", "team", "--image=nginx");
        var narrow = ClusterUsers.Add(cluster.DataDir, "narrowuser", "view", "team");
        var k = new Kubectl(Weir.Testing.Kubectl.Path(33), narrow.KubeconfigPath, _work);

        Assert.Equal("allowed", await k.OkAsync("get", "cm", "allowed", "-n", "team", "-o", "jsonpath={.metadata.name}"));
        Forbidden(await k.RunAsync("get", "cm", "hidden", "-n", "team"),
            "configmaps \"hidden\" is forbidden: User \"narrowuser\" cannot get resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        Forbidden(await k.RunAsync("get", "cm", "-n", "team"),
            "configmaps is forbidden: User \"narrowuser\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        Assert.Contains("deployment.apps/web scaled", await k.OkAsync("scale", "deploy", "web", "-n", "team", "--replicas=4"), StringComparison.Ordinal);
        Forbidden(await k.RunAsync("label", "deploy", "web", "-n", "team", "x=y"),
            "deployments.apps \"web\" is forbidden: User \"narrowuser\" cannot patch resource \"deployments\" in API group \"apps\" in the namespace \"team\"");
        Forbidden(await k.RunAsync("patch", "deploy", "web", "-n", "team", "--subresource=status", "--type=merge", "-p", "{\"status\":{}}"),
            "deployments.apps \"web\" is forbidden: User \"narrowuser\" cannot get resource \"deployments/status\" in API group \"apps\" in the namespace \"team\"");
    }

    [Fact]
    public async Task NonResourceUrlsNeedARule()
    {
        var viewer = ClusterUsers.Add(cluster.DataDir, "urluser", "view", "team");
        var token = Regex.Match(File.ReadAllText(viewer.KubeconfigPath), @"token: (\S+)").Groups[1].Value;
        using var http = cluster.Http(token);
        using var denied = await http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("forbidden: User \"urluser\" cannot get path \"/metrics\"", JsonNode.Parse(await denied.Content.ReadAsStringAsync())!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/apis")).StatusCode);

        File.WriteAllText(Path.Combine(_work, "metrics.yaml"), """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: metrics-reader}
            rules: [{nonResourceURLs: ["/metrics", "/debug/*"], verbs: [get]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: metrics-reader}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: metrics-reader}
            subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: urluser}]
            """);
        await _admin.OkAsync("apply", "-f", "metrics.yaml");
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/debug/pprof")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/logs")).StatusCode);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public async Task AuthCanI(int minor)
    {
        var user = $"asker{minor}";
        var asker = await UserAsync(user, "edit", "team", minor);
        var yes = await asker.RunAsync("auth", "can-i", "create", "deployments", "-n", "team");
        Assert.True(yes.Code == 0 && yes.Out.Trim() == "yes", yes.ToString());
        var no = await asker.RunAsync("auth", "can-i", "create", "deployments", "-n", "other");
        Assert.True(no.Code == 1 && no.Out.Trim() == "no", no.ToString());
        Assert.Equal(1, (await asker.RunAsync("auth", "can-i", "create", "roles", "-n", "team")).Code);
        Assert.Equal(0, (await asker.RunAsync("auth", "can-i", "get", "secrets", "-n", "team")).Code);
        Assert.Equal(0, (await asker.RunAsync("auth", "can-i", "patch", "deployments.apps", "--subresource=scale", "-n", "team")).Code);
        var list = await asker.OkAsync("auth", "can-i", "--list", "-n", "team");
        Assert.Matches(new Regex(@"^configmaps\s+\[\]\s+\[\]\s+\[.*create.*\]", RegexOptions.Multiline), list);
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io", list, StringComparison.Ordinal);

        var whoami = await asker.OkAsync("auth", "whoami");
        Assert.Matches(new Regex($@"Username\s+{user}\s"), whoami);
        Assert.Matches(new Regex(@"Groups\s+\[system:authenticated\]"), whoami);

        var admin = new Kubectl(Weir.Testing.Kubectl.Path(minor), cluster.Kubeconfig, _work);
        Assert.Equal("yes", (await admin.OkAsync("auth", "can-i", "*", "*")).Trim());
        Assert.Matches(new Regex(@"Groups\s+\[system:masters system:authenticated\]"), await admin.OkAsync("auth", "whoami"));
        var asUser = await admin.RunAsync("auth", "can-i", "delete", "secrets", "-n", "other", "--as", user);
        Assert.True(asUser.Code == 1 && asUser.Out.Trim() == "no", asUser.ToString());
    }

    [Fact]
    public async Task SubjectAccessReviewIsForAdmins()
    {
        await UserAsync("reviewed", "view", "team");
        var body = "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SubjectAccessReview\",\"spec\":{\"user\":\"reviewed\",\"resourceAttributes\":{\"namespace\":\"team\",\"verb\":\"%V\",\"resource\":\"configmaps\"}}}";
        using var http = cluster.Http();
        async Task<bool> Allowed(string verb)
        {
            using var response = await http.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", new StringContent(body.Replace("%V", verb, StringComparison.Ordinal), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["status"]!["allowed"]!.GetValue<bool>();
        }
        Assert.True(await Allowed("list"));
        Assert.False(await Allowed("delete"));

        var token = Regex.Match(File.ReadAllText(Path.Combine(cluster.DataDir, "users", "reviewed.kubeconfig")), @"token: (\S+)").Groups[1].Value;
        using var user = cluster.Http(token);
        using var denied = await user.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", new StringContent(body.Replace("%V", "get", StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task Impersonation()
    {
        await UserAsync("imp-viewer", "view", null);
        Forbidden(await _admin.RunAsync("get", "secrets", "-n", "team", "--as", "imp-viewer"),
            "secrets is forbidden: User \"imp-viewer\" cannot list resource \"secrets\" in API group \"\" in the namespace \"team\"");
        await _admin.OkAsync("get", "secrets", "-n", "team", "--as", "someone", "--as-group", "system:masters");

        // A ServiceAccount user gets the ServiceAccount groups, so a binding to group system:serviceaccounts:team applies.
        await _admin.OkAsync("create", "sa", "robot", "-n", "team");
        var robot = "system:serviceaccount:team:robot";
        Forbidden(await _admin.RunAsync("get", "cm", "-n", "team", "--as", robot),
            "configmaps is forbidden: User \"system:serviceaccount:team:robot\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        await _admin.OkAsync("create", "rolebinding", "sa-view", "-n", "team", "--clusterrole=view", "--group=system:serviceaccounts:team");
        await _admin.OkAsync("get", "cm", "-n", "team", "--as", robot);

        // Impersonating needs the impersonate verb: a viewer has none, an editor may act as ServiceAccounts of its namespace.
        var viewer = new Kubectl(Weir.Testing.Kubectl.Path(33), Path.Combine(cluster.DataDir, "users", "imp-viewer.kubeconfig"), _work);
        Forbidden(await viewer.RunAsync("get", "ns", "--as", "admin"),
            "users \"admin\" is forbidden: User \"imp-viewer\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope");
        var editor = await UserAsync("imp-editor", "edit", "team");
        await editor.OkAsync("get", "cm", "-n", "team", "--as", robot);
        Forbidden(await editor.RunAsync("get", "cm", "-n", "team", "--as", robot, "--as-group", "system:masters"),
            "groups \"system:masters\" is forbidden: User \"imp-editor\" cannot impersonate resource \"groups\" in API group \"\" at the cluster scope");
    }

    [Fact]
    public async Task ServiceAccountTokensAuthenticateUntilTheAccountIsGone()
    {
        await _admin.OkAsync("create", "sa", "builder", "-n", "other");
        await _admin.OkAsync("create", "rolebinding", "builder-edit", "-n", "other", "--clusterrole=edit", "--serviceaccount=other:builder");
        var token = (await _admin.OkAsync("create", "token", "builder", "-n", "other")).Trim();
        Assert.Equal("yes", (await _admin.OkAsync("--token", token, "auth", "can-i", "create", "configmaps", "-n", "other")).Trim());
        Forbidden(await _admin.RunAsync("--token", token, "get", "cm", "-n", "team"),
            "configmaps is forbidden: User \"system:serviceaccount:other:builder\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        await _admin.OkAsync("delete", "sa", "builder", "-n", "other");
        var gone = await _admin.RunAsync("--token", token, "get", "cm", "-n", "other");
        Assert.Contains("(Unauthorized)", gone.Err, StringComparison.Ordinal);
    }
}
