using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Weir.Templates.Formatting;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Templates.Crypto;

/// <summary>
/// Sprig's certificate functions, building what Go's x509.CreateCertificate builds from Sprig's template: a random
/// 128-bit serial, CN-only subject, validity from now for daysValid days, key usage (critical), server and client
/// auth, basic constraints (critical), a subject key id on CAs, the CA's key id on signed certificates, and DNS and
/// IP subject alternative names — in Go's order, with Go's string types and Go's refusals.
/// </summary>
internal static class SprigCertificates
{
    /// <summary>Sprig's certificate struct: templates read .Cert and .Key.</summary>
    public static readonly GoType CertificateType = new("sprig.certificate", GoKind.Struct);

    private const string MalformedCertificate = "x509: malformed certificate";

    public static Value Ca(ExecutionContext c, string cn, long daysValid, SprigKey key)
    {
        var t = BaseTemplate(c, cn, default, default, daysValid);
        return Create(t, isCa: true, key, issuer: null, key);
    }

    public static Value SelfSigned(ExecutionContext c, string cn, Value ips, Value dns, long daysValid, SprigKey key)
    {
        var t = BaseTemplate(c, cn, ips, dns, daysValid);
        return Create(t, isCa: false, key, issuer: null, key);
    }

    public static Value Signed(ExecutionContext c, string cn, Value ips, Value dns, long daysValid, Value ca, SprigKey key)
    {
        var caObject = ca.AsObject;
        var certPem = FieldString(caObject, "Cert");
        if (!PemEncoding.TryFind(certPem, out var fields))
        {
            throw new TemplateFunctionException("unable to decode certificate");
        }

        using var caCert = LoadCertificate(Convert.FromBase64String(certPem[fields.Base64Data]), "error parsing certificate: decodedSignerCert.Bytes: ");
        using var caKey = ParseKey(FieldString(caObject, "Key"), "error parsing private key: ");
        var t = BaseTemplate(c, cn, ips, dns, daysValid);
        return Create(t, isCa: false, key, caCert, caKey);
    }

    /// <summary>Sprig's buildCustomCert: checks a base64 PEM certificate and key and pairs them.</summary>
    public static Value BuildCustom(string b64Cert, string b64Key)
    {
        if (!GoBaseDecoding.TryBase64(b64Cert, out var certBytes, out _))
        {
            throw new TemplateFunctionException("unable to decode base64 certificate");
        }

        if (!GoBaseDecoding.TryBase64(b64Key, out var keyBytes, out _))
        {
            throw new TemplateFunctionException("unable to decode base64 private key");
        }

        var cert = Utf8.Decode(certBytes);
        var key = Utf8.Decode(keyBytes);
        if (!PemEncoding.TryFind(cert, out var fields))
        {
            throw new TemplateFunctionException("unable to decode certificate");
        }

        LoadCertificate(Convert.FromBase64String(cert[fields.Base64Data]), "error parsing certificate: decodedCert.Bytes: ").Dispose();
        ParseKey(key, "error parsing private key: ").Dispose();
        return Certificate(cert, key);
    }

    public static SprigKey ParseKey(string pem, string prefix)
    {
        try
        {
            return SprigKeys.Parse(pem);
        }
        catch (TemplateFunctionException e)
        {
            throw new TemplateFunctionException(prefix + e.Message);
        }
    }

    private static Value Certificate(string cert, string key) =>
        Value.Object(new GoStruct(CertificateType, new("Cert", Value.String(cert)), new("Key", Value.String(key))));

    private static string FieldString(GoObject o, string name) =>
        o.TryGetField(name, out var v) && v.TryGetString(out var s) ? s : "";

    private static X509Certificate2 LoadCertificate(byte[] der, string prefix)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new TemplateFunctionException(prefix + MalformedCertificate);
        }
    }

    private sealed record Template(X500DistinguishedName Subject, bool SubjectEmpty, string[] DnsNames, IPAddress[] Ips, byte[] Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

    // Sprig's getBaseCertTemplate: addresses and names are checked before anything random is drawn.
    private static Template BaseTemplate(ExecutionContext c, string cn, Value ips, Value dns, long daysValid)
    {
        var addresses = new List<IPAddress>();
        foreach (var ip in Items(ips))
        {
            if (!ip.TryGetString(out var s))
            {
                throw new TemplateFunctionException($"error parsing ip: {GoFmt.Sprint(ip)} is not a string");
            }

            addresses.Add(GoIp.Parse(s) ?? throw new TemplateFunctionException($"error parsing ip: {s}"));
        }

        var names = new List<string>();
        foreach (var name in Items(dns))
        {
            if (!name.TryGetString(out var s))
            {
                throw new TemplateFunctionException($"error processing alternate dns name: {GoFmt.Sprint(name)} is not a string");
            }

            names.Add(s);
        }

        var serial = new byte[16];
        c.Options.Random.NextBytes(serial);
        var notBefore = c.Options.Clock.GetUtcNow();

        // time.Hour * 24 * time.Duration(daysValid) wraps around like Go's int64 arithmetic.
        var validNanos = unchecked(daysValid * 86_400_000_000_000L);
        var notAfter = notBefore.AddTicks(validNanos / 100);
        var subject = new X500DistinguishedNameBuilder();
        if (cn.Length > 0)
        {
            subject.Add("2.5.4.3", cn, IsPrintable(cn) ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String);
        }

        return new Template(subject.Build(), cn.Length == 0, [.. names], [.. addresses], serial, notBefore, notAfter);
    }

    private static ReadOnlySpan<Value> Items(Value list) => list.Ref is GoList l ? l.AsSpan() : [];

    // Go's x509.CreateCertificate with parent = the CA certificate (or the template itself when issuer is null).
    private static Value Create(Template t, bool isCa, SprigKey signee, X509Certificate2? issuer, SprigKey signer)
    {
        try
        {
            var generator = signer.CertificateSigner();
            var publicKey = signee.CertificatePublicKey();
            if (issuer is not null && !issuer.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(signer.CertificatePublicKey().ExportSubjectPublicKeyInfo()))
            {
                throw new TemplateFunctionException("x509: provided PrivateKey doesn't match parent's PublicKey");
            }

            if (t.NotAfter < t.NotBefore)
            {
                throw new TemplateFunctionException("x509: the certificate would expire before it becomes valid (daysValid is negative)");
            }

            var issuerName = issuer is null ? t.Subject : new X500DistinguishedName(issuer.SubjectName.RawData);
            var request = new CertificateRequest(t.Subject, publicKey, signer.CertificateHash);
            var usage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | (isCa ? X509KeyUsageFlags.KeyCertSign : 0);
            request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, critical: true));
            if (isCa)
            {
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(SHA1.HashData(publicKey.EncodedKeyValue.RawData), critical: false));
            }

            if (issuer is not null && !issuerName.RawData.AsSpan().SequenceEqual(t.Subject.RawData)
                && issuer.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault() is { } issuerKeyId)
            {
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(issuerKeyId.SubjectKeyIdentifierBytes.Span));
            }

            if (t.DnsNames.Length > 0 || t.Ips.Length > 0)
            {
                request.CertificateExtensions.Add(new X509Extension("2.5.29.17", SubjectAlternativeNames(t), critical: t.SubjectEmpty));
            }

            using var cert = request.Create(issuerName, generator, t.NotBefore, t.NotAfter, MinimalSerial(t.Serial));
            return Certificate(PemEncoding.WriteString("CERTIFICATE", cert.RawData) + "\n", signee.ToPem());
        }
        catch (TemplateFunctionException e)
        {
            throw new TemplateFunctionException("error creating certificate: " + e.Message);
        }
    }

    // Go writes DNS names, then addresses (IPv4 ones in four bytes), as given: no IDNA mapping.
    private static byte[] SubjectAlternativeNames(Template t)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            foreach (var name in t.DnsNames)
            {
                if (!System.Text.Ascii.IsValid(name))
                {
                    throw new TemplateFunctionException($"x509: {GoQuote.Quote(name)} cannot be encoded as an IA5String");
                }

                w.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
            }

            foreach (var ip in t.Ips)
            {
                var address = ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip;
                w.WriteOctetString(address.GetAddressBytes(), new Asn1Tag(TagClass.ContextSpecific, 7));
            }
        }

        return w.Encode();
    }

    private static byte[] MinimalSerial(byte[] serial)
    {
        var start = 0;
        while (start < serial.Length - 1 && serial[start] == 0)
        {
            start++;
        }

        return serial[start..];
    }

    // encoding/asn1's PrintableString test (no '*' or '&' when marshalling).
    private static bool IsPrintable(string s)
    {
        foreach (var ch in s)
        {
            var ok = ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or (>= '\'' and <= ')') or (>= '+' and <= '/') or ' ' or ':' or '=' or '?';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
