using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Weir.Cluster.Api;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The one node, <see cref="SimulatorOptions.NodeName"/>: a Node object that is Ready, with the host's CPU count and
/// memory as its capacity, so <c>kubectl get nodes</c> and <c>describe node</c> show where the simulated pods run.
/// </summary>
internal sealed class NodeSimulation(SimulationContext ctx)
{
    /// <summary>The node's InternalIP, every pod's hostIP.</summary>
    public const string InternalIp = "172.18.0.2";

    /// <summary>Pod IPs come from this range.</summary>
    public const string PodCidr = "10.244.0.0/16";

    /// <summary>The labels the kubelet gives its node (DaemonSet node selectors are matched against them).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["beta.kubernetes.io/arch"] = Architecture,
        ["beta.kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = Architecture,
        ["kubernetes.io/hostname"] = ctx.Options.NodeName,
        ["kubernetes.io/os"] = "linux",
        ["node-role.kubernetes.io/control-plane"] = "",
    };

    private static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        _ => "amd64",
    };

    /// <summary>Creates the node if it is missing and reports its status.</summary>
    public void Ensure()
    {
        var name = ctx.Options.NodeName;
        var node = ctx.Registry.TryGet(ctx.Nodes, null, name);
        if (node is null)
        {
            var labels = new JsonObject();
            foreach (var (k, v) in Labels)
            {
                labels[k] = v;
            }
            node = ctx.Create(ctx.Nodes, "", new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject
                    {
                        ["node.alpha.kubernetes.io/ttl"] = "0",
                        ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                    },
                },
                ["spec"] = new JsonObject { ["podCIDR"] = PodCidr, ["podCIDRs"] = new JsonArray(PodCidr) },
            });
        }
        if (Json.At(node, "status", "nodeInfo") is null)
        {
            ctx.WriteStatus(ctx.Nodes, node, Status(name));
        }
    }

    private JsonObject Status(string name)
    {
        var now = GenericRegistry.Now();
        var memoryKi = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024;
        var capacity = new JsonObject
        {
            ["cpu"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ephemeral-storage"] = "100Gi",
            ["memory"] = $"{memoryKi}Ki",
            ["pods"] = "110",
        };
        JsonObject Condition(string type, string status, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = status,
            ["lastHeartbeatTime"] = now,
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        return new JsonObject
        {
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = InternalIp },
                new JsonObject { ["type"] = "Hostname", ["address"] = name }),
            ["allocatable"] = capacity.DeepClone(),
            ["capacity"] = capacity,
            ["conditions"] = new JsonArray(
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status")),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
            ["nodeInfo"] = new JsonObject
            {
                ["architecture"] = Architecture,
                ["bootID"] = "",
                ["containerRuntimeVersion"] = "weir://simulated",
                ["kernelVersion"] = KernelVersion(),
                ["kubeProxyVersion"] = ctx.Options.KubeletVersion,
                ["kubeletVersion"] = ctx.Options.KubeletVersion,
                ["machineID"] = "",
                ["operatingSystem"] = "linux",
                ["osImage"] = "Weir embedded cluster (simulated node, no containers run)",
                ["systemUUID"] = "",
            },
        };
    }

    private static string KernelVersion()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Whether a pod template's nodeSelector admits the node.</summary>
    public bool Admits(JsonNode? podTemplate) =>
        (Json.At(podTemplate, "spec", "nodeSelector") as JsonObject ?? []).All(kv => Labels.TryGetValue(kv.Key, out var v) && v == Json.Str(kv.Value));
}
