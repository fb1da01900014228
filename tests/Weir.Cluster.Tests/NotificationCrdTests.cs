using System.Text.RegularExpressions;

namespace Weir.Cluster.Tests;

/// <summary>
/// Weir's CRDs of the kinds the shared Flux reference does not hold (notification-controller's, source-watcher's):
/// their validation rules reject what Flux's reject, valid fleet objects are accepted, and <c>kubectl get</c> prints
/// Flux's columns (Alert and Provider have no status, so only their age).
/// </summary>
public sealed class NotificationCrdTests(WeirCrdsFixture weir) : IClassFixture<WeirCrdsFixture>
{
    public static TheoryData<string, string, string> Violations() => new()
    {
        { "notification.toolkit.fluxcd.io/v1", "Receiver", """{"type":"generic-oidc","resources":[{"kind":"Kustomization","name":"apps"}]}""" },
        { "notification.toolkit.fluxcd.io/v1", "Receiver", """{"type":"github","secretRef":{"name":"t"},"oidcProviders":[{"issuerURL":"https://token.actions.githubusercontent.com","validations":[{"expression":"true","message":"m"}]}],"resources":[{"kind":"Kustomization","name":"apps"}]}""" },
        { "notification.toolkit.fluxcd.io/v1", "Receiver", """{"type":"generic-oidc","secretRef":{"name":"t"},"oidcProviders":[{"issuerURL":"https://token.actions.githubusercontent.com","validations":[{"expression":"true","message":"m"}]}],"resources":[{"kind":"Kustomization","name":"apps"}]}""" },
        { "notification.toolkit.fluxcd.io/v1", "Receiver", """{"type":"github","resources":[{"kind":"Kustomization","name":"apps"}]}""" },
        { "notification.toolkit.fluxcd.io/v1beta3", "Provider", """{"type":"slack","commitStatusExpr":"'x'"}""" },
        { "source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator", """{"sources":[{"alias":"repo","kind":"OCIRepository","name":"repo"}],"artifacts":[{"name":"Not_A_Name","copy":[{"from":"@repo/**","to":"@artifact/"}]}]}""" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task RulesRejectWhatFluxRejects(string apiVersion, string kind, string spec)
    {
        var k = weir.Kubectl();
        var name = "bad-" + Guid.NewGuid().ToString("N")[..8];
        var result = await k.RunAsync("create", "-f", Write(k, apiVersion, kind, name, spec));

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(new Regex($"^The {kind} \"{name}\" is invalid: spec: Invalid value: \"object\": .+\n$"), result.Stderr);
    }

    [Fact]
    public async Task FleetObjectsAreAcceptedAndPrintFluxsColumns()
    {
        var k = weir.Kubectl();
        await k.OkAsync("create", "-f", Write(k, "notification.toolkit.fluxcd.io/v1beta3", "Provider", "slack",
            """{"type":"slack","channel":"general","secretRef":{"name":"slack-url"}}"""));
        await k.OkAsync("create", "-f", Write(k, "notification.toolkit.fluxcd.io/v1beta3", "Alert", "on-call",
            """{"providerRef":{"name":"slack"},"eventSources":[{"kind":"Kustomization","name":"*","matchLabels":{"team":"a"}}]}"""));
        await k.OkAsync("create", "-f", Write(k, "notification.toolkit.fluxcd.io/v1", "Receiver", "github",
            """{"type":"github","events":["push"],"secretRef":{"name":"token"},"resources":[{"kind":"GitRepository","name":"flux-system"}]}"""));
        await k.OkAsync("create", "-f", Write(k, "source.extensions.fluxcd.io/v1beta1", "ArtifactGenerator", "apps",
            """{"sources":[{"alias":"repo","kind":"GitRepository","name":"flux-system"}],"artifacts":[{"name":"apps","revision":"@repo","copy":[{"from":"@repo/apps/**","to":"@artifact/","exclude":["*.md"]}]}]}"""));

        var alerts = await k.OkAsync("get", "alerts", "-n", "flux-system");
        Assert.Matches(new Regex(@"^NAME\s+AGE\s*\non-call\s+\d+s\s*$"), alerts);
        Assert.Equal("info", await k.OkAsync("get", "alert", "on-call", "-n", "flux-system", "-o", "jsonpath={.spec.eventSeverity}"));
        var receivers = await k.OkAsync("get", "receivers", "-n", "flux-system");
        Assert.Matches(new Regex(@"^NAME\s+READY\s+STATUS\s+AGE\s*\ngithub\s+\d+s\s*$"), receivers);
        Assert.Equal("10m", await k.OkAsync("get", "receiver", "github", "-n", "flux-system", "-o", "jsonpath={.spec.interval}"));
    }

    private static string Write(Kubectl k, string apiVersion, string kind, string name, string spec)
    {
        var file = Path.Combine(k.WorkDir, $"{kind}-{name}.json");
        File.WriteAllText(file, $$"""{"apiVersion":"{{apiVersion}}","kind":"{{kind}}","metadata":{"name":"{{name}}","namespace":"flux-system"},"spec":{{spec}}}""");
        return file;
    }
}
