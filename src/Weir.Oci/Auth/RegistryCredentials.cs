namespace Weir.Oci.Auth;

/// <summary>Credentials for one registry: a user and password, or an identity (refresh) token.</summary>
public sealed record RegistryCredentials(string Username, string Password, string? IdentityToken = null)
{
    /// <summary>Parses <c>USER:PASSWORD</c> as the <c>--creds</c> flag takes it.</summary>
    public static RegistryCredentials Parse(string userColonPassword)
    {
        var colon = userColonPassword.IndexOf(':');
        if (colon <= 0)
        {
            throw new FormatException("credentials must be USER:PASSWORD");
        }
        return new RegistryCredentials(userColonPassword[..colon], userColonPassword[(colon + 1)..]);
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"RegistryCredentials({Username}, ***)";
}
