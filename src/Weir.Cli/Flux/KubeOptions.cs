using System.CommandLine;
using k8s;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// flux's global flags, added (recursively) to each flux-style verb: <c>--kubeconfig</c>, <c>--context</c>,
/// <c>-n/--namespace</c> (default <c>$FLUX_SYSTEM_NAMESPACE</c> or flux-system) and <c>--timeout</c>.
/// </summary>
public sealed class KubeOptions
{
    public Option<string?> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "Path to the kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context") { Description = "kubeconfig context to use", Recursive = true };

    public Option<string> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace scope for this operation",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FLUX_SYSTEM_NAMESPACE") is { Length: > 0 } ns ? ns : "flux-system",
        Recursive = true,
    };

    public Option<string> Timeout { get; } = new("--timeout")
    {
        Description = "Timeout for this operation",
        DefaultValueFactory = _ => "5m0s",
        Recursive = true,
    };

    public T AddTo<T>(T command)
        where T : Command
    {
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        command.Options.Add(Namespace);
        command.Options.Add(Timeout);
        return command;
    }

    public string Ns(ParseResult parse) => parse.GetValue(Namespace)!;

    public TimeSpan TimeoutOf(ParseResult parse)
    {
        try
        {
            return FluxDuration.Parse(parse.GetValue(Timeout)!);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"invalid argument \"{parse.GetValue(Timeout)}\" for \"--timeout\" flag: {e.Message}");
        }
    }

    public ResourceClient Connect(ParseResult parse) => new(new Kubernetes(Configuration(parse.GetValue(Kubeconfig), parse.GetValue(Context))));

    /// <summary>kubectl's order: --kubeconfig, then the first existing file in $KUBECONFIG, then ~/.kube/config, then in-cluster.</summary>
    public static KubernetesClientConfiguration Configuration(string? path, string? context)
    {
        if (path is { Length: > 0 })
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        }

        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } env)
        {
            var fromEnv = env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
                ?? throw new CliException($"no kubeconfig file found: KUBECONFIG={env}");
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(fromEnv, context);
        }

        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(home))
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(home, context);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        throw new CliException("no kubeconfig found: pass --kubeconfig or set KUBECONFIG");
    }
}
