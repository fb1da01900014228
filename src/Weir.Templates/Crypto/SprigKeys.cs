using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace Weir.Templates.Crypto;

/// <summary>Making keys as genPrivateKey does and reading them from PEM as Sprig's parsePrivateKeyPEM does (same error texts).</summary>
internal static class SprigKeys
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>A new key of Sprig's type name ("" and "rsa": RSA 4096; "dsa": L2048 N256; "ecdsa": P-256; "ed25519"), or null for an unknown name.</summary>
    public static SprigKey? Generate(string type, Random random) => type switch
    {
        "" or "rsa" => new RsaSprigKey(RSA.Create(4096)),
        "dsa" => GenerateDsa(),
        "ecdsa" => new EcSprigKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        "ed25519" => GenerateEd25519(random),
        _ => null,
    };

    /// <summary>The RSA 2048 key genCA, genSelfSignedCert and genSignedCert make for themselves.</summary>
    public static SprigKey Rsa2048() => new RsaSprigKey(RSA.Create(2048));

    public static SprigKey Parse(string pem)
    {
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new TemplateFunctionException("no PEM data in input");
        }

        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        if (label == "PRIVATE KEY")
        {
            return Wrap("decoding PEM as PKCS#8: ", () => ParsePkcs8(der));
        }

        if (!label.EndsWith(" PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new TemplateFunctionException($"no private key data in PEM block of type {label}");
        }

        return label[..^12] switch
        {
            "RSA" => Wrap("parsing RSA private key from PEM: ", () => ImportRsa(rsa => rsa.ImportRSAPrivateKey(der, out _))),
            "EC" => Wrap("parsing EC private key from PEM: x509: failed to parse EC private key: ", () => ImportEc(ec => ec.ImportECPrivateKey(der, out _))),
            "DSA" => Wrap("parsing DSA private key from PEM: ", () => ParseDsa(der)),
            _ => throw new TemplateFunctionException($"invalid private key type {label}"),
        };
    }

    private static SprigKey GenerateDsa()
    {
        using var dsa = DSA.Create(2048);
        return DsaSprigKey.From(dsa.ExportParameters(includePrivateParameters: true));
    }

    private static SprigKey GenerateEd25519(Random random)
    {
        Span<byte> seed = stackalloc byte[32];
        random.NextBytes(seed);
        return new Ed25519SprigKey(seed);
    }

    private static SprigKey ParsePkcs8(byte[] der)
    {
        var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        info.ReadInteger();
        var oid = info.ReadSequence().ReadObjectIdentifier();
        switch (oid)
        {
            case RsaOid:
                return ImportRsa(rsa => rsa.ImportPkcs8PrivateKey(der, out _));
            case EcOid:
                return ImportEc(ec => ec.ImportPkcs8PrivateKey(der, out _));
            case Ed25519SprigKey.Oid:
                var seed = new AsnReader(info.ReadOctetString(), AsnEncodingRules.DER).ReadOctetString();
                if (seed.Length != 32)
                {
                    throw new TemplateFunctionException($"x509: invalid Ed25519 private key length: {seed.Length}");
                }

                return new Ed25519SprigKey(seed);
            default:
                throw new TemplateFunctionException($"x509: PKCS#8 wrapping contained private key with unknown algorithm: {oid}");
        }
    }

    private static SprigKey ParseDsa(byte[] der)
    {
        var seq = new AsnReader(der, AsnEncodingRules.BER).ReadSequence();
        seq.ReadInteger();
        var n = new BigInteger[5];
        for (var i = 0; i < n.Length; i++)
        {
            n[i] = seq.ReadInteger();
        }

        return new DsaSprigKey(n[0], n[1], n[2], n[3], n[4]);
    }

    private static SprigKey ImportRsa(Action<RSA> import)
    {
        var rsa = RSA.Create();
        try
        {
            import(rsa);
            return new RsaSprigKey(rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static SprigKey ImportEc(Action<ECDsa> import)
    {
        var ec = ECDsa.Create();
        try
        {
            import(ec);
            return new EcSprigKey(ec);
        }
        catch
        {
            ec.Dispose();
            throw;
        }
    }

    private static SprigKey Wrap(string prefix, Func<SprigKey> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or TemplateFunctionException)
        {
            throw new TemplateFunctionException(prefix + e.Message);
        }
    }
}
