namespace Weir.Cluster.Auth;

/// <summary>Who a request acts as, after authentication and impersonation.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Masters = "system:masters";
    public const string Authenticated = "system:authenticated";

    public bool IsMaster => Groups.Contains(Masters);

    /// <summary>A ServiceAccount user: <c>system:serviceaccount:NS:NAME</c> with the groups Kubernetes gives it.</summary>
    public static UserInfo ServiceAccount(string ns, string name) =>
        new($"system:serviceaccount:{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated]);

    /// <summary>Splits <c>system:serviceaccount:NS:NAME</c>; null for other users.</summary>
    public static (string Namespace, string Name)? ServiceAccountOf(string user)
    {
        var parts = user.Split(':');
        return parts is ["system", "serviceaccount", var ns, var name] && ns != "" && name != "" ? (ns, name) : null;
    }
}
