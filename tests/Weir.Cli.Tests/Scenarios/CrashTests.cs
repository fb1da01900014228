using System.Diagnostics;
using System.Text;
using Weir.Cli.Scenarios;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>
/// Issue #8, 12: the controllers run as their own <c>weir controller</c> process; it is killed with SIGKILL while
/// applying a large revision, restarted, and must converge with every object exactly once and nothing left over.
/// </summary>
public sealed class CrashTests : IAsyncLifetime
{
    private const int Objects = 150;
    private readonly EmbeddedCluster _cluster = new();
    private readonly WeirRegistryFixture _registry = new();
    private readonly string _storage = TestEnv.TempDir("weir-crash-storage-");
    private readonly StringBuilder _log = new();

    // A fixed artifact server address across restarts, as a Service gives the real controllers: artifact URLs in
    // the sources' status stay valid after the crash.
    private readonly string _storageAddress = $"127.0.0.1:{TestEnv.FreePort()}";

    public async Task InitializeAsync()
    {
        await _cluster.InitializeAsync();
        await _registry.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _cluster.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
    }

    [Fact]
    public async Task KilledMidApplyConvergesWithoutOrphansOrDuplicates()
    {
        await using var context = new ScenarioContext(_cluster.Client, _registry.Host)
        {
            AppNamespace = "crash-app",
            RepositoryPrefix = "crash",
            StepTimeout = TimeSpan.FromSeconds(90),
        };
        await context.EnsureNamespaceAsync(context.AppNamespace, default);
        await context.PushAsync("my-app", "v1.0.0", ConfigMaps(Objects));

        var controller = StartController();
        try
        {
            await context.CreateAsync(FluxObjects.Repository(context, "my-app", context.RepositoryUrl("my-app"), FluxObjects.Semver(">=1.0.0")), default);
            await context.WaitForArtifactAsync("my-app", "v1.0.0", default);
            await context.CreateAsync(FluxObjects.Kustomization(context, "apps", "my-app"), default);

            // Kill as soon as the first objects land, while the rest of the revision is still being applied.
            var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
            while ((await AppliedAsync(context)).Count == 0)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "nothing was applied within 60s:\n" + Log());
                Assert.False(controller.HasExited, "the controller exited:\n" + Log());
                await Task.Delay(10);
            }

            controller.Kill();
            await controller.WaitForExitAsync();
            var atCrash = (await AppliedAsync(context)).Count;

            controller = StartController();
            var apps = await context.WaitForAsync(KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v1.0.0"), "v1.0.0 applied after the restart", default);
            var names = await AppliedAsync(context);
            Assert.True(names.Count == Objects, $"{names.Count} objects after the restart ({atCrash} at the crash)");
            Assert.Equal(Enumerable.Range(0, Objects).Select(Name).Order(StringComparer.Ordinal), names.Order(StringComparer.Ordinal));
            Assert.Equal(Objects, (apps["status"]?["inventory"]?["entries"]?.AsArray().Count) ?? 0);

            // The inventory written after the crash is complete: half the objects removed, exactly that half is pruned.
            await context.PushAsync("my-app", "v1.1.0", ConfigMaps(Objects / 2));
            await context.RequestReconcileAsync(KubeResource.OCIRepository, "my-app", default);
            await context.WaitForAsync(KubeResource.Kustomization, "apps", o => IsReady(o, "True") && HasApplied(o, "v1.1.0"), "v1.1.0 applied", default);
            Assert.Equal(Enumerable.Range(0, Objects / 2).Select(Name).Order(StringComparer.Ordinal), (await AppliedAsync(context)).Order(StringComparer.Ordinal));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(e.Message + "\ncontroller output:\n" + Log(), e);
        }
        finally
        {
            if (!controller.HasExited)
            {
                controller.Kill();
                await controller.WaitForExitAsync();
            }
        }
    }

    private static string Name(int i) => $"setting-{i:D4}";

    private async Task<List<string>> AppliedAsync(ScenarioContext context)
    {
        var (items, _) = await _cluster.Client.ListAsync(KubeResource.ConfigMap, context.AppNamespace, "kustomize.toolkit.fluxcd.io/name=apps");
        return [.. items.Select(i => i.Name())];
    }

    private Process StartController()
    {
        var process = WeirRun.Start(
        [
            "controller", "--kubeconfig", _cluster.Server.KubeconfigPath!, "--storage-path", _storage,
            "--storage-addr", _storageAddress, "--metrics-addr", "127.0.0.1:0", "--enable-leader-election", "false",
        ]);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private string Log()
    {
        lock (_log)
        {
            return _log.Length > 6000 ? _log.ToString()[^6000..] : _log.ToString();
        }
    }

    private static Dictionary<string, string> ConfigMaps(int count)
    {
        var yaml = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            yaml.Append($"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {Name(i)}\ndata:\n  index: \"{i}\"\n");
        }

        return new() { ["settings.yaml"] = yaml.ToString() };
    }
}
