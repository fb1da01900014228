using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cluster.Api;

namespace Weir.Cluster.Auth;

/// <summary>What <c>weir cluster add-user</c> produced: the user's kubeconfig and the binding that grants its role.</summary>
public sealed record AddedUser(string KubeconfigPath, JsonObject Binding);

/// <summary>
/// Restricted users for <c>weir cluster add-user</c>: a static token, <c>DataDir/users/NAME.kubeconfig</c>, and a
/// RoleBinding (with a namespace) or ClusterRoleBinding to the <c>view</c>, <c>edit</c> or <c>admin</c> ClusterRole.
/// Works with the server stopped: the CA is created if needed and the server address read from the admin kubeconfig.
/// </summary>
public static partial class ClusterUsers
{
    public static readonly IReadOnlyList<string> Roles = ["view", "edit", "admin"];

    public static AddedUser Add(string dataDir, string name, string role, string? ns, int defaultPort = 6443)
    {
        if (!Roles.Contains(role))
        {
            throw new ArgumentException($"role must be one of {string.Join(", ", Roles)}", nameof(role));
        }
        if (name == StaticTokens.AdminUser || !UserName().IsMatch(name))
        {
            throw new ArgumentException($"invalid user name \"{name}\": use lowercase letters, digits, '-' and '.' (and not \"admin\")", nameof(name));
        }
        Directory.CreateDirectory(dataDir);
        string caPem;
        using (var pki = ClusterPki.LoadOrCreate(dataDir))
        {
            caPem = pki.CaPem;
        }
        var token = StaticTokens.Ensure(dataDir, name, []);
        var path = Path.Combine(dataDir, "users", name + ".kubeconfig");
        SecretFile.Write(path, Kubeconfig.Render(ServerAddress(dataDir, defaultPort), caPem, name, token, ns ?? "default"));
        return new AddedUser(path, Binding(name, role, ns));
    }

    /// <summary>The RoleBinding/ClusterRoleBinding granting <paramref name="role"/> to user <paramref name="name"/>.</summary>
    public static JsonObject Binding(string name, string role, string? ns)
    {
        var metadata = new JsonObject { ["name"] = $"weir-user-{name}-{role}" };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }
        return new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = ns is null ? "ClusterRoleBinding" : "RoleBinding",
            ["metadata"] = metadata,
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
            ["subjects"] = new JsonArray(new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "User", ["name"] = name }),
        };
    }

    /// <summary>Keeps a binding for the server to create at its next start (when it is not running now).</summary>
    public static void SavePending(string dataDir, JsonObject binding)
    {
        var dir = Path.Combine(dataDir, "auth", "pending-bindings");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, binding["metadata"]!["name"]!.GetValue<string>() + ".json"), binding.ToJsonString());
    }

    /// <summary>Creates the pending bindings; each file is removed once its binding exists.</summary>
    internal static void ApplyPending(string dataDir, GenericRegistry registry)
    {
        var dir = Path.Combine(dataDir, "auth", "pending-bindings");
        if (!Directory.Exists(dir))
        {
            return;
        }
        foreach (var file in Directory.GetFiles(dir, "*.json"))
        {
            if (JsonNode.Parse(File.ReadAllText(file)) is not JsonObject binding)
            {
                continue;
            }
            var ns = binding["metadata"]?["namespace"]?.GetValue<string>();
            var type = registry.Catalog.Find("rbac.authorization.k8s.io", "v1", ns is null ? "clusterrolebindings" : "rolebindings")!;
            try
            {
                registry.Create(type, ns, binding, new WriteOptions { FieldManager = "weir-cluster" });
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Already there.
            }
            catch (ApiException)
            {
                continue; // e.g. its namespace does not exist yet; retried at the next start.
            }
            File.Delete(file);
        }
    }

    private static Uri ServerAddress(string dataDir, int defaultPort)
    {
        var admin = Path.Combine(dataDir, "kubeconfig");
        if (File.Exists(admin) && ServerLine().Match(File.ReadAllText(admin)) is { Success: true } m)
        {
            return new Uri(m.Groups[1].Value);
        }
        return new Uri($"https://127.0.0.1:{defaultPort}");
    }

    [GeneratedRegex(@"^\s*server:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex UserName();
}
