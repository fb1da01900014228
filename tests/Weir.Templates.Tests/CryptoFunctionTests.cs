using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Weir.Templates.Crypto;
using Weir.Templates.Values;

namespace Weir.Templates.Tests;

/// <summary>
/// Sprig's crypto family: keys, certificates, AES, passwords and random values. What we produce must parse and
/// verify with openssl and Apache's htpasswd, be shaped as Go builds it, and interoperate with Go (the oracle).
/// </summary>
public partial class CryptoFunctionTests
{
    private static string Render(string template, Random? random = null)
    {
        var (table, options) = CaseRunner.Setup("sprig", strict: false);
        options = options with { Clock = TimeProvider.System, Random = random ?? CryptoRandom.Instance };
        return new TemplateEngine(table, options).Parse("case", template).Execute(Value.Invalid);
    }

    private static (string? Output, string? Error) TryRender(string template)
    {
        try
        {
            return (Render(template), null);
        }
        catch (TemplateException e)
        {
            return (null, e.Message);
        }
    }

    private static string Go(string template)
    {
        var (output, error) = GoOracle.Templates([template])[0];
        Assert.True(error is null, "oracle failed: " + error);
        return output!;
    }

    private static async Task<string> Openssl(params string[] args)
    {
        var (code, stdout, stderr) = await TestProcess.RunAsync("openssl", args);
        Assert.True(code == 0, $"openssl {string.Join(' ', args)} failed: {stderr}{stdout}");
        return stdout + stderr;
    }

    private static string Write(string dir, string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] PemBlocks(string text) =>
        [.. PemBlock().Matches(text).Select(m => m.Value + "\n")];

    [GeneratedRegex("-----BEGIN ([A-Z ]+)-----\n[A-Za-z0-9+/=\n]+?-----END \\1-----")]
    private static partial Regex PemBlock();

    // openssl asn1parse's structure (depth, type, object names of every element), without offsets, lengths and values.
    private static async Task<string> AsnShape(string dir, string pem)
    {
        var text = await Openssl("asn1parse", "-in", Write(dir, "shape.pem", pem));
        return string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var m = AsnLine().Match(l);
            Assert.True(m.Success, "unexpected asn1parse line: " + l);
            var type = m.Groups[2].Value;
            return $"{m.Groups[1].Value} {type} {(type == "OBJECT" ? m.Groups[3].Value : "")}";
        }));
    }

    [GeneratedRegex(@"d=(\d+).*?(?:prim|cons):\s*([^:\[]*?(?:\[ \d+ \])?)\s*(?:\[HEX DUMP\])?\s*(?::(.*))?$")]
    private static partial Regex AsnLine();

    [Fact]
    public async Task GenPrivateKeyWritesSprigsPemFormsThatOpensslAccepts()
    {
        var dir = TestEnv.TempDir("weir-crypto-");
        var types = new[] { "rsa", "ecdsa", "ed25519", "dsa" };
        var go = GoOracle.Templates(types.Select(t => $"{{{{ genPrivateKey \"{t}\" }}}}"));
        for (var i = 0; i < types.Length; i++)
        {
            var ours = Render($"{{{{ genPrivateKey \"{types[i]}\" }}}}");
            var goPem = go[i].Output!;
            Assert.Equal(goPem.Split('\n')[0], ours.Split('\n')[0]);
            Assert.EndsWith("-----\n", ours);
            Assert.Equal(await AsnShape(dir, goPem), await AsnShape(dir, ours));
            var file = Write(dir, types[i] + ".pem", ours);
            var text = types[i] switch
            {
                "rsa" => await Openssl("rsa", "-check", "-noout", "-text", "-in", file),
                "ecdsa" => await Openssl("ec", "-check", "-noout", "-text", "-in", file),
                "dsa" => await Openssl("dsa", "-noout", "-text", "-in", file),
                _ => await Openssl("pkey", "-check", "-noout", "-text", "-in", file),
            };
            var expected = types[i] switch
            {
                "rsa" => "Private-Key: (4096 bit, 2 primes)",
                "ecdsa" => "ASN1 OID: prime256v1",
                "dsa" => "Private-Key: (2048 bit)",
                _ => "ED25519 Private-Key",
            };
            Assert.Contains(expected, text);
        }

        Assert.Equal(Go("{{ genPrivateKey \"nope\" }}"), Render("{{ genPrivateKey \"nope\" }}"));
    }

    [Fact]
    public async Task CertificatesVerifyWithOpensslAndAreShapedAsGoBuildsThem()
    {
        const string template = """
            {{- $ca := genCA "weir-ca" 365 -}}
            {{- $c := genSignedCert "svc.example" (list "10.0.0.1" "::1" "::ffff:1.2.3.4") (list "a.example" "*.b.example") 30 $ca -}}
            {{- $s := genSelfSignedCert "self" (list "192.168.1.1") (list "self.example") 7 -}}
            {{- $e := genSelfSignedCert "" nil (list "nameless.example") 1 -}}
            {{ $ca.Cert }}{{ $ca.Key }}{{ $c.Cert }}{{ $c.Key }}{{ $s.Cert }}{{ $s.Key }}{{ $e.Cert }}{{ $e.Key }}
            """;
        var ours = PemBlocks(Render(template));
        var go = PemBlocks(Go(template));
        Assert.Equal(8, ours.Length);
        Assert.Equal(8, go.Length);
        for (var i = 0; i < 8; i += 2)
        {
            AssertSameShape(go[i], ours[i]);
            Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", ours[i + 1]);
        }

        var dir = TestEnv.TempDir("weir-crypto-");
        var ca = Write(dir, "ca.pem", ours[0]);
        var cert = Write(dir, "cert.pem", ours[2]);
        Assert.Contains("cert.pem: OK", await Openssl("verify", "-CAfile", ca, cert));
        var text = await Openssl("x509", "-noout", "-text", "-in", cert);
        Assert.Contains("DNS:a.example, DNS:*.b.example, IP Address:10.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:1.2.3.4", text);
        Assert.Contains("CA:FALSE", text);
        Assert.Contains("CA:TRUE", await Openssl("x509", "-noout", "-text", "-in", ca));
        for (var i = 0; i < 8; i += 2)
        {
            var certFile = Write(dir, $"c{i}.pem", ours[i]);
            var keyFile = Write(dir, $"k{i}.pem", ours[i + 1]);
            Assert.Equal(await Openssl("x509", "-noout", "-pubkey", "-in", certFile), await Openssl("pkey", "-pubout", "-in", keyFile));
        }

        // The self-signed ones carry their own valid signature.
        foreach (var i in new[] { 4, 6 })
        {
            var self = Write(dir, $"self{i}.pem", ours[i]);
            Assert.Contains(": OK", await Openssl("verify", "-partial_chain", "-CAfile", self, self));
        }
    }

    [Theory]
    [InlineData("rsa")]
    [InlineData("ecdsa")]
    [InlineData("ed25519")]
    public async Task CertificatesWithGivenKeysUseThoseKeys(string type)
    {
        var template = """
            {{- $caKey := genPrivateKey "TYPE" -}}{{- $key := genPrivateKey "TYPE" -}}
            {{- $ca := genCAWithKey "ca" 10 $caKey -}}
            {{- $c := genSignedCertWithKey "leaf" nil (list "leaf.example") 10 $ca $key -}}
            {{- $s := genSelfSignedCertWithKey "self" (list "127.0.0.1") nil 10 $key -}}
            {{ $caKey }}{{ $key }}{{ $ca.Cert }}{{ $ca.Key }}{{ $c.Cert }}{{ $c.Key }}{{ $s.Cert }}{{ $s.Key }}
            """.Replace("TYPE", type, StringComparison.Ordinal);
        var ours = PemBlocks(Render(template));
        var go = PemBlocks(Go(template));
        Assert.Equal(8, ours.Length);
        Assert.Equal(ours[0], ours[3]);
        Assert.Equal(ours[1], ours[5]);
        Assert.Equal(ours[1], ours[7]);
        foreach (var i in new[] { 2, 4, 6 })
        {
            AssertSameShape(go[i], ours[i]);
        }

        var dir = TestEnv.TempDir("weir-crypto-");
        var ca = Write(dir, "ca.pem", ours[2]);
        Assert.Contains("leaf.pem: OK", await Openssl("verify", "-CAfile", ca, Write(dir, "leaf.pem", ours[4])));
        Assert.Equal(await Openssl("x509", "-noout", "-pubkey", "-in", Write(dir, "s.pem", ours[6])), await Openssl("pkey", "-pubout", "-in", Write(dir, "k.pem", ours[1])));
    }

    [Fact]
    public async Task BuildCustomCertPairsACertificateWithItsKey()
    {
        const string template = """
            {{- $ca := genCA "custom" 10 -}}
            {{- $custom := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) -}}
            {{- $c := genSignedCert "leaf" nil nil 10 $custom -}}
            {{ eq $custom.Cert $ca.Cert }} {{ eq $custom.Key $ca.Key }} {{ typeOf $custom }}
            {{ $ca.Cert }}{{ $c.Cert }}
            """;
        var output = Render(template);
        Assert.StartsWith("true true sprig.certificate\n", output);
        var blocks = PemBlocks(output);
        var dir = TestEnv.TempDir("weir-crypto-");
        Assert.Contains("leaf.pem: OK", await Openssl("verify", "-CAfile", Write(dir, "ca.pem", blocks[0]), Write(dir, "leaf.pem", blocks[1])));
    }

    // Go's x509 parse errors quote encoding/asn1's internals; for malformed keys the text after this prefix is .NET's.
    public static TheoryData<string, string?> ErrorCases() => new()
    {
        { """{{ genSelfSignedCertWithKey "x" nil nil 1 (genPrivateKey "dsa") }}""", null },
        { """{{ genSignedCertWithKey "x" nil nil 1 (genCA "ca" 1) (genPrivateKey "dsa") }}""", null },
        { """{{ $ca := genCA "ca" 1 }}{{ genSignedCert "x" nil nil 1 (buildCustomCert ($ca.Cert|b64enc) (genPrivateKey "ecdsa"|b64enc)) }}""", null },
        { """{{ genSelfSignedCert "x" (list 1) nil 1 }}""", null },
        { """{{ genSelfSignedCert "x" (list "01.2.3.4") nil 1 }}""", null },
        { """{{ genSelfSignedCert "x" (list "1.2.3") nil 1 }}""", null },
        { """{{ genSelfSignedCert "x" (list "fe80::1%eth0") nil 1 }}""", null },
        { """{{ genSelfSignedCert "x" nil (list 3) 1 }}""", null },
        { """{{ genSignedCert "x" nil nil 1 (dict) }}""", null },
        { """{{ genSignedCert "x" nil nil 1 nil }}""", null },
        { """{{ genCAWithKey "x" 1 "junk" }}""", null },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN FOO-----\\nYWJj\\n-----END FOO-----\\n\" }}", null },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN X PRIVATE KEY-----\\nYWJj\\n-----END X PRIVATE KEY-----\\n\" }}", null },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN RSA PRIVATE KEY-----\\nYWJj\\n-----END RSA PRIVATE KEY-----\\n\" }}", "from PEM: " },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN EC PRIVATE KEY-----\\nYWJj\\n-----END EC PRIVATE KEY-----\\n\" }}", "EC private key: " },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN DSA PRIVATE KEY-----\\nYWJj\\n-----END DSA PRIVATE KEY-----\\n\" }}", "from PEM: " },
        { "{{ genCAWithKey \"x\" 1 \"-----BEGIN PRIVATE KEY-----\\nYWJj\\n-----END PRIVATE KEY-----\\n\" }}", "PKCS#8: " },
        { """{{ buildCustomCert "!!" "" }}""", null },
        { """{{ buildCustomCert "" "!!" }}""", null },
        { """{{ buildCustomCert "" "" }}""", null },
        { "{{ buildCustomCert (\"-----BEGIN X-----\\nYWJj\\n-----END X-----\\n\"|b64enc) \"\" }}", null },
        { """{{ decryptAES "k" "abc" }}""", null },
        { """{{ decryptAES "k" "YWJj" }}""", null },
        { """{{ decryptAES "k" "YQ==" }}""", null },
        { """{{ decryptAES "k" "YWJjZGVmZ2hpamtsbW5vcA==" }}""", null },
        { """{{ decryptAES "k" "YWJjZGVmZ2hpamtsbW5vcGFi" }}""", null },
        { """{{ decryptAES "k" "YWJjZGVmZ2hpamtsbW5vcGFiY2RlZmdoaWprbG1ub3A=" }}""", null },
        { """{{ randBytes -1 }}""", null },
        { """{{ derivePassword -1 "long" "a" "b" "c" }}""", null },
        { """{{ genCA "x" 1.5 }}""", null },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void CryptoErrorsAreGos(string template, string? comparedUpTo)
    {
        var (goOutput, goError) = GoOracle.Templates([template])[0];
        Assert.True(goError is not null, "Go printed " + goOutput);
        var (output, error) = TryRender(template);
        Assert.True(error is not null, "we printed " + output);
        if (comparedUpTo is null)
        {
            Assert.Equal(goError, error);
        }
        else
        {
            var cut = goError.IndexOf(comparedUpTo, StringComparison.Ordinal) + comparedUpTo.Length;
            Assert.Equal(goError[..cut], error[..Math.Min(cut, error.Length)]);
        }
    }

    [Fact]
    public void DeterministicAnswersAreGos()
    {
        string[] templates =
        [
            """{{ genCA "x" 1 | kindOf }} {{ genCA "x" 1 | typeOf }}""",
            """{{ genPrivateKey "foo" }}""",
            """{{ htpasswd "a:b" "x" }}""",
            """{{ randBytes 0 }}|{{ randBytes 5 | len }}|{{ randBytes 6 | len }}|{{ uuidv4 | len }}""",
            """{{ encryptAES "k" "" }}|{{ decryptAES "k" "" }}""",
            """{{ derivePassword 1 "nope" "a" "b" "c" }}""",
            """{{ bcrypt "x" | len }} {{ bcrypt "" | substr 0 7 }} {{ htpasswd "u" "p" | substr 0 9 }}""",
            """{{ (genSelfSignedCert "x" nil nil 1).Cert | substr 0 27 }}""",
        ];
        var go = GoOracle.Templates(templates);
        for (var i = 0; i < templates.Length; i++)
        {
            Assert.Equal(go[i], TryRender(templates[i]));
        }
    }

    private static readonly string[] Plaintexts =
    [
        "a", "exactly 16 bytes", "héllo wörld ✓", "line one\nline two\ttab", new string('x', 1000), "\u0000\u0001 binary-ish",
    ];

    private static readonly string[] Passwords = ["", "secret", "a password that is longer than thirty-two bytes", "пароль"];

    [Fact]
    public void DecryptAesReadsWhatGosEncryptAesWrote()
    {
        var pairs = Passwords.SelectMany(p => Plaintexts.Select(t => (Password: p, Text: t))).ToList();
        var go = GoOracle.Templates(pairs.Select(p => $"{{{{ encryptAES {Quote(p.Password)} {Quote(p.Text)} }}}}"));
        for (var i = 0; i < pairs.Count; i++)
        {
            var ciphertext = go[i].Output!;
            Assert.Equal(pairs[i].Text, Render($"{{{{ decryptAES {Quote(pairs[i].Password)} {Quote(ciphertext)} }}}}"));
        }
    }

    [Fact]
    public void GosDecryptAesReadsWhatEncryptAesWrote()
    {
        var pairs = Passwords.SelectMany(p => Plaintexts.Select(t => (Password: p, Text: t))).ToList();
        var ciphertexts = pairs.Select(p => Render($"{{{{ encryptAES {Quote(p.Password)} {Quote(p.Text)} }}}}")).ToList();
        Assert.Equal(ciphertexts.Count, ciphertexts.Distinct().Count());
        var go = GoOracle.Templates(pairs.Select((p, i) => $"{{{{ decryptAES {Quote(p.Password)} {Quote(ciphertexts[i])} }}}}"));
        Assert.Equal(pairs.Select(p => ((string?)p.Text, (string?)null)), go);
    }

    [Fact]
    public void DerivePasswordIsGos()
    {
        string[] templates =
        [
            """{{ derivePassword 1 "long" "password" "user" "example.com" }}""",
            """{{ derivePassword 0 "maximum" "password" "user" "example.com" }}""",
            """{{ derivePassword 4294967295 "medium" "p" "u" "s" }}""",
            """{{ derivePassword 7 "short" "" "" "" }}""",
            """{{ derivePassword 2 "basic" "pässwörd" "üser" "sité.example" }}""",
            """{{ derivePassword 3 "pin" "hunter2" "root" "localhost" }}""",
        ];
        var go = GoOracle.Templates(templates);
        for (var i = 0; i < templates.Length; i++)
        {
            Assert.Equal(go[i].Output, Render(templates[i]));
        }
    }

    [Theory]
    [InlineData("password")]
    [InlineData("")]
    [InlineData("pässwörd ✓")]
    [InlineData("seventy-two bytes exactly: 012345678901234567890123456789012345678901234")]
    public async Task HtpasswdAndBcryptVerifyWithApacheHtpasswd(string password)
    {
        var dir = TestEnv.TempDir("weir-crypto-");
        var line = Render($"{{{{ htpasswd \"user\" {Quote(password)} }}}}");
        Assert.Matches(@"^user:\$2a\$10\$[./A-Za-z0-9]{53}$", line);
        var file = Write(dir, "htpasswd", line + "\n");
        Assert.Equal(0, (await TestProcess.RunAsync("htpasswd", ["-vb", file, "user", password])).Code);
        Assert.NotEqual(0, (await TestProcess.RunAsync("htpasswd", ["-vb", file, "user", "x" + password])).Code);

        var hash = Render($"{{{{ bcrypt {Quote(password)} }}}}");
        file = Write(dir, "bcrypt", "someone:" + hash + "\n");
        Assert.Equal(0, (await TestProcess.RunAsync("htpasswd", ["-vb", file, "someone", password])).Code);
    }

    [Fact]
    public void BcryptRefusesPasswordsLongerThan72BytesAsCurrentGoDoes()
    {
        Assert.Equal("failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes", Render($"{{{{ bcrypt \"{new string('a', 73)}\" }}}}"));
    }

    [Fact]
    public void RandomValuesComeFromTheInjectedSource()
    {
        const string template = """{{ uuidv4 }} {{ randBytes 24 }} {{ encryptAES "k" "text" }} {{ randAlphaNum 12 }} {{ bcrypt "x" }}""";
        var first = Render(template, new Random(7));
        Assert.Equal(first, Render(template, new Random(7)));
        Assert.NotEqual(first, Render(template, new Random(8)));
        var parts = first.Split(' ');
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", parts[0]);
        Assert.Equal(24, Convert.FromBase64String(parts[1]).Length);

        var fresh = Render(template);
        Assert.NotEqual(fresh, Render(template));
    }

    [Fact]
    public void CryptoRandomStaysInRange()
    {
        var r = CryptoRandom.Instance;
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(r.Next(10), 0, 9);
            Assert.InRange(r.Next(-5, 5), -5, 4);
            Assert.InRange(r.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue - 1);
            Assert.InRange(r.NextInt64(3, 6), 3, 5);
            Assert.InRange(r.NextDouble(), 0.0, 0.9999999999999999);
        }

        Assert.Equal(0, r.Next(1));
        Assert.Equal(4, r.NextInt64(4, 5));
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    // What does not depend on keys, time or chance must be Go's: version, names, algorithms, the validity span,
    // extensions (key ids compared by presence and by the issuer's id), serial size.
    private static void AssertSameShape(string goPem, string ourPem)
    {
        using var go = X509Certificate2.CreateFromPem(goPem);
        using var ours = X509Certificate2.CreateFromPem(ourPem);
        Assert.Equal(go.Version, ours.Version);
        Assert.Equal(Convert.ToHexString(go.SubjectName.RawData), Convert.ToHexString(ours.SubjectName.RawData));
        Assert.Equal(Convert.ToHexString(go.IssuerName.RawData), Convert.ToHexString(ours.IssuerName.RawData));
        Assert.Equal(go.SignatureAlgorithm.Value, ours.SignatureAlgorithm.Value);
        Assert.Equal(go.PublicKey.Oid.Value, ours.PublicKey.Oid.Value);
        Assert.Equal(go.NotAfter - go.NotBefore, ours.NotAfter - ours.NotBefore);
        Assert.InRange(ours.SerialNumberBytes.Length, 1, 17);
        Assert.True((ours.SerialNumberBytes.Span[0] & 0x80) == 0, "serial is positive");
        Assert.Equal(Extensions(go), Extensions(ours));
    }

    private static List<string> Extensions(X509Certificate2 c) =>
        [.. c.Extensions.Select(e => $"{e.Oid!.Value} {e.Critical} " + (e.Oid.Value is "2.5.29.14" or "2.5.29.35" ? "(key id)" : Convert.ToHexString(e.RawData)))];
}
