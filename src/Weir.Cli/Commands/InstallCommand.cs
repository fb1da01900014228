using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core;
using Weir.Core.Api.Crds;
using Weir.Core.Yaml;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir install --export</c>: the manifests that run Weir in a real cluster — CRDs, the namespace, a
/// ServiceAccount with RBAC, a Deployment running <c>weir controller</c> and the Service in front of its artifact
/// server (named <c>source-controller</c>, where Flux consumers expect artifacts) — as one multi-document YAML.
/// </summary>
public static class InstallCommand
{
    public const string Name = "weir-controller";

    public static Command Create()
    {
        var export = new Option<bool>("--export") { Description = "Print the manifests to stdout instead of applying them" };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace to install into", DefaultValueFactory = _ => "flux-system" };
        var image = new Option<string>("--image") { Description = "Container image running weir", DefaultValueFactory = _ => $"ghcr.io/weir-gitops/weir:v{WeirVersion.Current}" };
        var command = new Command("install", "Print the manifests that install Weir on a cluster") { export, ns, image };
        command.SetAction((parse, _) =>
        {
            if (!parse.GetValue(export))
            {
                throw new CliUsageException("only --export is supported: pipe it to kubectl apply --server-side -f -");
            }

            Console.Out.Write(KubeYaml.SerializeAll(Manifests(parse.GetValue(ns)!, parse.GetValue(image)!)));
            return Task.FromResult(CliAction.Ok);
        });
        return command;
    }

    public static IEnumerable<JsonObject> Manifests(string ns, string image)
    {
        foreach (var crd in CrdCatalog.All())
        {
            yield return crd;
        }

        yield return Object("v1", "Namespace", ns, cluster: true);
        yield return Object("v1", "ServiceAccount", Name, ns: ns);
        var role = Object("rbac.authorization.k8s.io/v1", "ClusterRole", Name, cluster: true);
        role["rules"] = new JsonArray(
            Rule(["source.toolkit.fluxcd.io", "kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io"], ["*"], ["*"]),
            Rule([""], ["events"], ["create", "patch"]),
            Rule(["events.k8s.io"], ["events"], ["create", "patch"]),
            Rule(["coordination.k8s.io"], ["leases"], ["get", "list", "watch", "create", "update", "patch"]),
            Rule([""], ["secrets", "configmaps", "serviceaccounts", "namespaces"], ["get", "list", "watch"]),
            Rule([""], ["serviceaccounts/token"], ["create"]));
        yield return role;
        yield return Binding(Name, Name, ns);
        // Kustomizations apply arbitrary objects, so the reconciler needs what Flux's cluster-reconciler has.
        yield return Binding($"{Name}-cluster-reconciler", "cluster-admin", ns);
        yield return Deployment(ns, image);
        var service = Object("v1", "Service", "source-controller", ns: ns);
        service["spec"] = new JsonObject
        {
            ["type"] = "ClusterIP",
            ["selector"] = new JsonObject { ["app"] = Name },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80, ["protocol"] = "TCP", ["targetPort"] = "http" }),
        };
        yield return service;
    }

    private static JsonObject Deployment(string ns, string image)
    {
        var deployment = Object("apps/v1", "Deployment", Name, ns: ns);
        deployment["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = Name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = Name, [Installed.PartOfLabel] = Installed.PartOf } },
                ["spec"] = new JsonObject
                {
                    ["serviceAccountName"] = Name,
                    ["terminationGracePeriodSeconds"] = 10,
                    ["securityContext"] = new JsonObject { ["runAsNonRoot"] = true, ["fsGroup"] = 1337, ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" } },
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "manager",
                        ["image"] = image,
                        ["args"] = new JsonArray("controller", "--storage-path=/data", "--storage-addr=:9090", "--metrics-addr=:8080",
                            "--enable-leader-election", $"--leader-election-lease={ns}/{Installed.LeaseName}"),
                        ["ports"] = new JsonArray(
                            new JsonObject { ["name"] = "http", ["containerPort"] = 9090, ["protocol"] = "TCP" },
                            new JsonObject { ["name"] = "http-prom", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
                        ["readinessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = "http" } },
                        ["livenessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = "http-prom" } },
                        ["resources"] = new JsonObject
                        {
                            ["requests"] = new JsonObject { ["cpu"] = "50m", ["memory"] = "64Mi" },
                            ["limits"] = new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" },
                        },
                        ["securityContext"] = new JsonObject
                        {
                            ["allowPrivilegeEscalation"] = false,
                            ["readOnlyRootFilesystem"] = true,
                            ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
                        },
                        ["volumeMounts"] = new JsonArray(
                            new JsonObject { ["name"] = "data", ["mountPath"] = "/data" },
                            new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" }),
                    }),
                    ["volumes"] = new JsonArray(
                        new JsonObject { ["name"] = "data", ["emptyDir"] = new JsonObject() },
                        new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject() }),
                },
            },
        };
        return deployment;
    }

    private static JsonObject Binding(string name, string role, string ns)
    {
        var binding = Object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", name, cluster: true);
        binding["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role };
        binding["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = Name, ["namespace"] = ns });
        return binding;
    }

    private static JsonObject Rule(string[] groups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = new JsonArray([.. groups.Select(g => (JsonNode)g)]),
        ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
        ["verbs"] = new JsonArray([.. verbs.Select(v => (JsonNode)v)]),
    };

    private static JsonObject Object(string apiVersion, string kind, string name, string? ns = null, bool cluster = false)
    {
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { [Installed.PartOfLabel] = Installed.PartOf, ["app.kubernetes.io/version"] = WeirVersion.Current },
        };
        if (!cluster && ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
    }
}
