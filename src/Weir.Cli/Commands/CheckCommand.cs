using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Cluster.Printing;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir check [--pre]</c>: is the API server reachable and recent enough, are Weir's CRDs installed (and
/// serving the versions Weir uses), and are the controllers running (a fresh leader Lease or a ready Deployment).
/// flux's ► / ✔ / ✗ lines; exit 1 when a check fails.
/// </summary>
public static class CheckCommand
{
    public const string MinKubernetes = "1.28.0";

    public static Command Create()
    {
        var kube = new KubeOptions();
        var pre = new Option<bool>("--pre") { Description = "Only check the prerequisites" };
        var command = kube.AddTo(new Command("check", "Check requirements and installation") { pre });
        command.SetAction(async (parse, token) =>
        {
            var log = CliLog.Stderr;
            var client = kube.Connect(parse);
            var ok = true;
            log.Action("checking prerequisites");
            var server = await client.Kubernetes.Version.GetCodeAsync(token);
            var version = server.GitVersion.TrimStart('v').Split('-', '+')[0];
            if (Version.TryParse(version, out var v) && v >= Version.Parse(MinKubernetes))
            {
                log.Success($"Kubernetes {version} >={MinKubernetes}-0");
                log.Success("prerequisites checks passed");
            }
            else
            {
                log.Failure($"Kubernetes version {server.GitVersion} does not match >={MinKubernetes}-0");
                ok = false;
            }

            if (parse.GetValue(pre))
            {
                return Done(log, ok);
            }

            log.Action("checking controllers");
            ok &= await ControllersAsync(client, kube.Ns(parse), log, token);
            log.Action("checking crds");
            ok &= await CrdsAsync(client, log, token);
            return Done(log, ok);
        });
        return command;
    }

    private static int Done(CliLog log, bool ok)
    {
        if (ok)
        {
            log.Success("all checks passed");
            return CliAction.Ok;
        }

        log.Failure("check failed");
        return CliAction.Failed;
    }

    private static async Task<bool> ControllersAsync(ResourceClient client, string ns, CliLog log, CancellationToken token)
    {
        var found = false;
        var ok = true;
        foreach (var deployment in await Installed.DeploymentsAsync(client, ns, token))
        {
            found = true;
            var ready = deployment["status"]?["readyReplicas"] is JsonValue r && r.TryGetValue<int>(out var n) && n > 0;
            if (ready)
            {
                log.Success($"{deployment.Name()}: deployment ready");
            }
            else
            {
                log.Failure($"{deployment.Name()}: deployment not ready");
                ok = false;
            }

            foreach (var container in (deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                log.Action(FluxKind.Str(container["image"]));
            }
        }

        if (await Installed.LeaseAsync(client, ns, token) is { } lease)
        {
            found = true;
            if (lease.Fresh)
            {
                log.Success($"{Installed.LeaseName}: leader {lease.Holder} (renewed {HumanAge.Format(lease.Age)} ago)");
            }
            else
            {
                log.Failure($"{Installed.LeaseName}: leader Lease not renewed" + (lease.Age == TimeSpan.MaxValue ? "" : $" for {HumanAge.Format(lease.Age)}"));
                ok = false;
            }
        }

        if (!found)
        {
            log.Failure($"controllers: no {Installed.LeaseName} Lease and no Deployment labelled {Installed.PartOfLabel}={Installed.PartOf} in {ns} namespace");
        }

        return found && ok;
    }

    private static async Task<bool> CrdsAsync(ResourceClient client, CliLog log, CancellationToken token)
    {
        var ok = true;
        foreach (var expected in CrdCatalog.All())
        {
            var name = expected.Name();
            var wanted = (expected["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(x => x["storage"]?.GetValue<bool>() == true)?["name"]?.GetValue<string>() ?? "";
            var crd = await client.GetAsync(KubeResource.CustomResourceDefinition, new ObjectKey("", name), token);
            if (crd is null)
            {
                log.Failure($"{name} not found");
                ok = false;
                continue;
            }

            var served = (crd["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>()
                .Where(x => x["served"]?.GetValue<bool>() == true).Select(x => FluxKind.Str(x["name"])).ToList() ?? [];
            var stored = (crd["status"]?["storedVersions"] as JsonArray)?.Select(FluxKind.Str).LastOrDefault() ?? wanted;
            if (served.Contains(wanted))
            {
                log.Success($"{name}/{stored}");
            }
            else
            {
                log.Failure($"{name}: version {wanted} is not served (served: {string.Join(", ", served)})");
                ok = false;
            }
        }

        return ok;
    }
}
