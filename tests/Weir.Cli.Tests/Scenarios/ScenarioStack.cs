using System.Text.Json.Nodes;
using Weir.Cli.Scenarios;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>
/// One <c>weir up</c> stack (EmbeddedStack in-process: API server, registry, controllers) shared by every scenario,
/// each set up at start in its own namespaces (<c>sc-NAME</c> for the Flux objects, <c>NAME-app</c> for workloads).
/// </summary>
public sealed class ScenarioStack : IAsyncLifetime
{
    private readonly string _dataDir = TestEnv.TempDir("weir-scenarios-");
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (ScenarioContext Context, Task SetUp, StringWriter Log)> _scenarios = [];
    private Task _stack = Task.CompletedTask;

    public EmbeddedStackParts Parts { get; private set; } = null!;

    public ResourceClient Client => Parts.Client;

    public string Kubeconfig => Parts.KubeconfigPath;

    public string ControllerLog => File.Exists(Path.Combine(_dataDir, "controllers.log"))
        ? ReadShared(Path.Combine(_dataDir, "controllers.log"))
        : "";

    public async Task InitializeAsync()
    {
        var started = new TaskCompletionSource<EmbeddedStackParts>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stack = new EmbeddedStack(new EmbeddedStackOptions
        {
            DataDir = _dataDir,
            ApiPort = 0,
            RegistryPort = 0,
            Output = TextWriter.Null,
            AfterStart = (parts, _) =>
            {
                started.TrySetResult(parts);
                return Task.CompletedTask;
            },
        });
        _stack = Task.Run(() => stack.RunAsync(_stop.Token));
        var first = await Task.WhenAny(started.Task, _stack, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != started.Task)
        {
            await _stack;
            throw new TimeoutException("the embedded stack did not start within 60s");
        }

        Parts = await started.Task;
        foreach (var scenario in ScenarioCatalog.All)
        {
            var log = new StringWriter();
            var context = NewContext(scenario.Name, TextWriter.Synchronized(log));
            _scenarios[scenario.Name] = (context, SetUpAsync(scenario, context), log);
        }
    }

    /// <summary>A context with its own namespaces and repositories, for scenarios and test-only set-ups.</summary>
    public ScenarioContext NewContext(string name, TextWriter? log = null) => new(Parts.Client, Parts.RegistryHost)
    {
        Namespace = "sc-" + name,
        AppNamespace = name + "-app",
        RepositoryPrefix = name,
        ClusterDataDirectory = Parts.ClusterDataDir,
        StepTimeout = TimeSpan.FromSeconds(90),
        Log = log ?? TextWriter.Null,
    };

    /// <summary>The scenario's context once its set-up finished; fails with the set-up's log if it did not.</summary>
    public async Task<ScenarioContext> ScenarioAsync(string name)
    {
        var (context, setUp, log) = _scenarios[name];
        try
        {
            await setUp;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"scenario {name} failed to set up: {e.Message}\n{log}\ncontroller log tail:\n{Tail(ControllerLog)}", e);
        }

        return context;
    }

    /// <summary>Polls an object in the context's namespace until <paramref name="done"/> holds (at most 90 s).</summary>
    public async Task<JsonObject> WaitForAsync(ScenarioContext context, KubeResource resource, string name, Func<JsonObject, bool> done, string what)
    {
        try
        {
            return await context.WaitForAsync(resource, name, done, what, CancellationToken.None);
        }
        catch (TimeoutException e)
        {
            var current = await Client.GetAsync(resource, new ObjectKey(context.Namespace, name));
            throw new TimeoutException($"{e.Message}\nstatus: {current?["status"]?.ToJsonString()}\ncontroller log tail:\n{Tail(ControllerLog)}");
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (context, _, _) in _scenarios.Values)
        {
            await context.DisposeAsync();
        }

        await _stop.CancelAsync();
        try
        {
            await _stack;
        }
        catch (OperationCanceledException)
        {
        }

        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task SetUpAsync(Scenario scenario, ScenarioContext context)
    {
        await context.EnsureNamespaceAsync(context.Namespace, _stop.Token);
        await scenario.SetUpAsync(context, _stop.Token);
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return new StreamReader(stream).ReadToEnd();
    }
}

[CollectionDefinition(Name)]
public sealed class ScenarioStackCollection : ICollectionFixture<ScenarioStack>
{
    public const string Name = "scenario stack";
}
