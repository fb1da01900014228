using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Weir.Templates.Crypto;

/// <summary>
/// A private key as Sprig handles it: made by genPrivateKey, read from PEM by the *WithKey functions, written in
/// Sprig's PEM forms, and used the way Go's x509.CreateCertificate uses it (including its refusals).
/// </summary>
internal abstract class SprigKey : IDisposable
{
    /// <summary>The PEM block Sprig writes (pemBlockForKey), with Go's trailing newline.</summary>
    public abstract string ToPem();

    /// <summary>The key's SubjectPublicKeyInfo for a certificate; fails like Go for a key x509 cannot marshal.</summary>
    public abstract PublicKey CertificatePublicKey();

    /// <summary>Signs a certificate the way x509 chooses for this key; fails like Go for a key that is no crypto.Signer.</summary>
    public abstract X509SignatureGenerator CertificateSigner();

    /// <summary>The hash x509 pairs with this signing key.</summary>
    public virtual HashAlgorithmName CertificateHash => HashAlgorithmName.SHA256;

    public virtual void Dispose()
    {
    }

    protected static string Pem(string label, byte[] der) => PemEncoding.WriteString(label, der) + "\n";
}

/// <summary>RSA: PKCS#1 "RSA PRIVATE KEY", signs with SHA-256 and PKCS#1 v1.5 padding.</summary>
internal sealed class RsaSprigKey(RSA rsa) : SprigKey
{
    public override string ToPem() => Pem("RSA PRIVATE KEY", rsa.ExportRSAPrivateKey());

    public override PublicKey CertificatePublicKey() => new(rsa);

    public override X509SignatureGenerator CertificateSigner() => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);

    public override void Dispose() => rsa.Dispose();
}

/// <summary>ECDSA: SEC 1 "EC PRIVATE KEY", signs with the hash x509 picks for the curve size.</summary>
internal sealed class EcSprigKey(ECDsa ecdsa) : SprigKey
{
    public override string ToPem() => Pem("EC PRIVATE KEY", ecdsa.ExportECPrivateKey());

    public override PublicKey CertificatePublicKey() => new(ecdsa);

    public override X509SignatureGenerator CertificateSigner() => X509SignatureGenerator.CreateForECDsa(ecdsa);

    public override HashAlgorithmName CertificateHash => ecdsa.KeySize switch
    {
        > 384 => HashAlgorithmName.SHA512,
        > 256 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA256,
    };

    public override void Dispose() => ecdsa.Dispose();
}

/// <summary>DSA: OpenSSL's "DSA PRIVATE KEY" sequence. Go's x509 can neither sign with it nor certify it.</summary>
internal sealed class DsaSprigKey(BigInteger p, BigInteger q, BigInteger g, BigInteger y, BigInteger x) : SprigKey
{
    public static DsaSprigKey From(DSAParameters k) =>
        new(Unsigned(k.P!), Unsigned(k.Q!), Unsigned(k.G!), Unsigned(k.Y!), Unsigned(k.X!));

    public override string ToPem()
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            foreach (var n in new[] { p, q, g, y, x })
            {
                w.WriteInteger(n);
            }
        }

        return Pem("DSA PRIVATE KEY", w.Encode());
    }

    public override PublicKey CertificatePublicKey() =>
        throw new TemplateFunctionException("x509: unsupported public key type: *dsa.PublicKey");

    public override X509SignatureGenerator CertificateSigner() =>
        throw new TemplateFunctionException("x509: certificate private key does not implement crypto.Signer");

    private static BigInteger Unsigned(byte[] b) => new(b, isUnsigned: true, isBigEndian: true);
}

/// <summary>Ed25519 (through BouncyCastle, which .NET lacks): PKCS#8 "PRIVATE KEY", signs as PureEd25519.</summary>
internal sealed class Ed25519SprigKey : SprigKey
{
    public const string Oid = "1.3.101.112";

    private readonly Ed25519PrivateKeyParameters key;

    public Ed25519SprigKey(ReadOnlySpan<byte> seed) => key = new Ed25519PrivateKeyParameters(seed);

    public override string ToPem()
    {
        var inner = new AsnWriter(AsnEncodingRules.DER);
        inner.WriteOctetString(key.GetEncoded());
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteInteger(0);
            WriteAlgorithm(w);
            w.WriteOctetString(inner.Encode());
        }

        return Pem("PRIVATE KEY", w.Encode());
    }

    public override PublicKey CertificatePublicKey()
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            WriteAlgorithm(w);
            w.WriteBitString(key.GeneratePublicKey().GetEncoded());
        }

        return PublicKey.CreateFromSubjectPublicKeyInfo(w.Encode(), out _);
    }

    public override X509SignatureGenerator CertificateSigner() => new Ed25519Generator(this);

    public override HashAlgorithmName CertificateHash => HashAlgorithmName.SHA512;

    internal static byte[] AlgorithmIdentifier()
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        WriteAlgorithm(w);
        return w.Encode();
    }

    private static void WriteAlgorithm(AsnWriter w)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(Oid);
        }
    }

    private sealed class Ed25519Generator(Ed25519SprigKey owner) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => AlgorithmIdentifier();

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, owner.key);
            signer.BlockUpdate(data, 0, data.Length);
            return signer.GenerateSignature();
        }

        protected override PublicKey BuildPublicKey() => owner.CertificatePublicKey();
    }
}
