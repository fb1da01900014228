using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Oci.Distribution;

namespace Weir.Oci.Tests;

/// <summary>Manifests are written byte for byte as Go's encoding/json writes them (the Go oracle answers for Go).</summary>
public class GoJsonTests
{
    private static readonly string[] Texts =
    [
        "application/vnd.oci.image.manifest.v1+json",
        "https://example.com/app?a=1&b=<2>",
        "quote \" backslash \\ slash / apostrophe ' backtick ` equals =",
        "tab\tnew\nline\rreturn \b\f \u0001 \u001f \u007f \u0085",
        "é ü 日本 \u00a0 \ufeff \ufffd 😀 \U0001F680",
        "line \u2028 paragraph \u2029",
        "",
    ];

    [Fact]
    public void StringsAreEscapedAsGoEscapesThem()
    {
        // The oracle turns YAML into JSON with Go's json.Marshal; every character goes in as a \U escape.
        var requests = Texts.Select(t => new JsonObject { ["yaml"] = "s: \"" + string.Concat(t.EnumerateRunes().Select(r => $"\\U{r.Value:X8}")) + "\"" }.ToJsonString());
        var answers = GoOracle.Run("yaml", string.Join('\n', requests));
        Assert.Equal(Texts.Length, answers.Count);
        for (var i = 0; i < Texts.Length; i++)
        {
            var go = (string?)answers[i]["json"] ?? throw new InvalidOperationException("oracle: " + answers[i]["error"]);
            var ours = Encoding.UTF8.GetString(GoJson.Serialize(new Dictionary<string, string> { ["s"] = Texts[i] }));
            Assert.True(go == ours, $"case {i.ToString(CultureInfo.InvariantCulture)}: Go {go}\n     ours {ours}");
        }
    }

    [Fact]
    public void AManifestNamesItsMediaTypesLiterally()
    {
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.FluxConfig, Digest = OciDigest.Of("{}"u8.ToArray()), Size = 2 },
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.com/a?b&c" },
        };
        var json = Encoding.UTF8.GetString(GoJson.Serialize(manifest));
        Assert.StartsWith("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.cncf.flux.config.v1+json\"", json);
        Assert.EndsWith("\"annotations\":{\"org.opencontainers.image.source\":\"https://example.com/a?b\\u0026c\"}}", json);
    }
}
