using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Weir.Templates.Values;

namespace Weir.Templates.Crypto;

/// <summary>Sprig's password functions: bcrypt, htpasswd and derivePassword (the Master Password algorithm).</summary>
internal static class SprigPasswords
{
    private const string MasterPasswordSeed = "com.lyndir.masterpassword";

    // The Master Password algorithm's site templates and character classes.
    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        ["maximum"] = ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        ["long"] =
        [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv", "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno",
            "CvccnoCvccCvcv", "CvccCvccnoCvcv", "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno",
            "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        ["medium"] = ["CvcnoCvc", "CvcCvcno"],
        ["short"] = ["Cvcn"],
        ["basic"] = ["aaanaaan", "aannaaan", "aaannaaa"],
        ["pin"] = ["nnnn"],
    };

    private static readonly Dictionary<char, string> Classes = new()
    {
        ['V'] = "AEIOU",
        ['C'] = "BCDFGHJKLMNPQRSTVWXYZ",
        ['v'] = "aeiou",
        ['c'] = "bcdfghjklmnpqrstvwxyz",
        ['A'] = "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        ['a'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        ['n'] = "0123456789",
        ['o'] = "@&%?,=[]_:-+*$#!'^~;()/.",
        ['x'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    };

    /// <summary>bcrypt at Go's default cost (10) in the "$2a$" form; errors come back as text, as Sprig returns them.</summary>
    public static string Bcrypt(string password, Random random)
    {
        var bytes = Utf8.Bytes(password);
        if (bytes.Length > 72)
        {
            return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes";
        }

        var salt = new byte[16];
        random.NextBytes(salt);
        return OpenBsdBCrypt.Generate("2a", password.ToCharArray(), salt, 10);
    }

    public static string Htpasswd(string user, string password, Random random) =>
        user.Contains(':') ? $"invalid username: {user}" : $"{user}:{Bcrypt(password, random)}";

    public static string Derive(uint counter, string type, string password, string user, string site)
    {
        if (!Templates.TryGetValue(type, out var templates))
        {
            return $"cannot find password template {type}";
        }

        var userBytes = Utf8.Bytes(user);
        var salt = Concat(Encoding.ASCII.GetBytes(MasterPasswordSeed), BigEndian((uint)userBytes.Length), userBytes);
        var key = SCrypt.Generate(Utf8.Bytes(password), salt, 32768, 8, 2, 64);
        var siteBytes = Utf8.Bytes(site);
        var message = Concat(Encoding.ASCII.GetBytes(MasterPasswordSeed), BigEndian((uint)siteBytes.Length), siteBytes, BigEndian(counter));
        var seed = HMACSHA256.HashData(key, message);
        var template = templates[seed[0] % templates.Length];
        var sb = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var chars = Classes[template[i]];
            sb.Append(chars[seed[i + 1] % chars.Length]);
        }

        return sb.ToString();
    }

    private static byte[] BigEndian(uint n)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, n);
        return b;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
