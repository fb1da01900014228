using Weir.Templates.Crypto;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's crypto.go: passwords, AES, random bytes, UUIDs, private keys and certificates.</summary>
internal static class CryptoFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var cert = SprigCertificates.CertificateType;
        var b = new FunctionBuilder();
        b.Add("bcrypt", [Str], static (c, a) => Value.String(SprigPasswords.Bcrypt(a[0].AsString, c.Options.Random)));
        b.Add("htpasswd", [Str, Str], static (c, a) => Value.String(SprigPasswords.Htpasswd(a[0].AsString, a[1].AsString, c.Options.Random)));
        b.Add("derivePassword", [GoType.Uint32, Str, Str, Str, Str], static (_, a) =>
            Value.String(SprigPasswords.Derive((uint)a[0].RawUInt, a[1].AsString, a[2].AsString, a[3].AsString, a[4].AsString)));
        b.Add("encryptAES", [Str, Str], static (c, a) => Value.String(SprigAes.Encrypt(a[0].AsString, a[1].AsString, c.Options.Random)));
        b.Add("decryptAES", [Str, Str], static (_, a) => Value.String(SprigAes.Decrypt(a[0].AsString, a[1].AsString)));
        b.Add("randBytes", [Int], static (c, a) => Value.String(RandBytes(c, a[0].RawInt)));
        b.Add("uuidv4", [], static (c, _) => Value.String(UuidV4(c.Options.Random)));
        b.Add("genPrivateKey", [Str], static (c, a) =>
        {
            using var key = SprigKeys.Generate(a[0].AsString, c.Options.Random);
            return Value.String(key?.ToPem() ?? "Unknown type " + a[0].AsString);
        });
        b.Add("buildCustomCert", [Str, Str], static (_, a) => SprigCertificates.BuildCustom(a[0].AsString, a[1].AsString));
        b.Add("genCA", [Str, Int], static (c, a) =>
        {
            using var key = SprigKeys.Rsa2048();
            return SprigCertificates.Ca(c, a[0].AsString, a[1].RawInt, key);
        });
        b.Add("genCAWithKey", [Str, Int, Str], static (c, a) =>
        {
            using var key = SprigCertificates.ParseKey(a[2].AsString, "parsing private key: ");
            return SprigCertificates.Ca(c, a[0].AsString, a[1].RawInt, key);
        });
        b.Add("genSelfSignedCert", [Str, List, List, Int], static (c, a) =>
        {
            using var key = SprigKeys.Rsa2048();
            return SprigCertificates.SelfSigned(c, a[0].AsString, a[1], a[2], a[3].RawInt, key);
        });
        b.Add("genSelfSignedCertWithKey", [Str, List, List, Int, Str], static (c, a) =>
        {
            using var key = SprigCertificates.ParseKey(a[4].AsString, "parsing private key: ");
            return SprigCertificates.SelfSigned(c, a[0].AsString, a[1], a[2], a[3].RawInt, key);
        });
        b.Add("genSignedCert", [Str, List, List, Int, cert], static (c, a) =>
        {
            using var key = SprigKeys.Rsa2048();
            return SprigCertificates.Signed(c, a[0].AsString, a[1], a[2], a[3].RawInt, a[4], key);
        });
        b.Add("genSignedCertWithKey", [Str, List, List, Int, cert, Str], static (c, a) =>
        {
            using var key = SprigCertificates.ParseKey(a[5].AsString, "parsing private key: ");
            return SprigCertificates.Signed(c, a[0].AsString, a[1], a[2], a[3].RawInt, a[4], key);
        });
        return b.Functions;
    }

    private static string RandBytes(ExecutionContext c, long count)
    {
        if (count < 0)
        {
            throw new TemplateFunctionException("runtime error: makeslice: len out of range");
        }

        c.CheckStringSize(count / 3 * 4);
        var bytes = new byte[count];
        c.Options.Random.NextBytes(bytes);
        return Convert.ToBase64String(bytes);
    }

    // google/uuid's New(): 16 random bytes with the version 4 and RFC 4122 variant bits set.
    private static string UuidV4(Random random)
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0f) | 0x40);
        b[8] = (byte)((b[8] & 0x3f) | 0x80);
        var hex = Convert.ToHexStringLower(b);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
