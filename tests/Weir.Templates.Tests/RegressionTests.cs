using System.Text.Json.Nodes;

namespace Weir.Templates.Tests;

/// <summary>
/// Each disagreement with Go that differential testing found, fixed and kept here by name. Expected answers come
/// from the oracle in the same run: same output, or both fail with the same message.
/// </summary>
public class RegressionTests
{
    private static void AssertSameAsGo(string funcs, params string[] templates)
    {
        var data = JsonNode.Parse("""{"n": null, "m": {"a": 1}}""");
        var go = GoOracle.Templates(templates, funcs, data);
        for (var i = 0; i < templates.Length; i++)
        {
            var (output, error) = CaseRunner.Run(templates[i], data, funcs, "float");
            Assert.True(go[i] == (output, error), $"{templates[i]}\n  go:   {go[i]}\n  weir: {(output, error)}");
        }
    }

    [Fact]
    public void NilForAMapParameterIsATypedNilMap() => AssertSameAsGo(
        "sprig",
        """{{ hasKey nil "a" }}|{{ get nil "a" }}|{{ keys nil | len }}|{{ values nil | len }}""",
        """{{ pick nil "a" }}|{{ omit nil "a" }}|{{ pluck "a" nil }}|{{ urlJoin nil }}""",
        """{{ set nil "a" 1 }}""",
        """{{ unset nil "a" | toJson }}|{{ unset nil "a" | toRawJson }}|{{ unset nil "a" | len }}|{{ unset nil "a" | empty }}""",
        """{{ printf "%#v" (unset nil "a") }}|{{ deepCopy (unset nil "a") | toJson }}|{{ unset nil "a" | toYaml }}""",
        """{{ merge nil (dict "a" 1) }}|{{ mergeOverwrite (unset nil "a") (dict "b" 2) }}""",
        """{{ hasKey .missing "a" }}""",
        """{{ genSelfSignedCert "x" nil nil 1 | typeOf }}""");

    [Fact]
    public void IncludeAndTplWithNilDataRunOnNoValue() => AssertSameAsGo(
        "helm",
        """{{ define "t" }}[{{ . }}]{{ printf "%T" . }}{{ end }}{{ include "t" nil }}|{{ include "t" .missing }}|{{ include "t" .n }}""",
        """{{ tpl "{{ . }}" nil }}|{{ tpl "{{ .a }}" .n }}|{{ tpl "{{ printf \"%T\" . }}" .missing }}""");

    [Fact]
    public void UrlParseFailsWithGosErrors() => AssertSameAsGo(
        "sprig",
        """{{ urlParse "a b:c" }}""",
        """{{ urlParse "1:x" }}""",
        """{{ urlParse "http://x/%zz" }}""",
        """{{ urlParse "http://x/%4" }}""",
        """{{ urlParse "x\u0001" }}""",
        """{{ urlParse "x\u007f" }}""",
        """{{ (urlParse "http://u@h:1/p?q=1#f").host }}""");

    [Fact]
    public void InvalidUtf8BecomesOneReplacementCharacterPerByte() => AssertSameAsGo(
        "sprig",
        """{{ "aGVsbG//" | b64dec }}|{{ "gA==" | b64dec }}|{{ "gIA=" | b64dec }}|{{ "4oI=" | b64dec }}""",
        """{{ "MTIzwA==" | b64dec }}|{{ "gICA" | b64dec | upper }}""",
        """{{ "GA======" | b32dec }}""");

    [Fact]
    public void BytesThatAreNotUtf8KeepTheirValue() => AssertSameAsGo(
        "helm",
        """{{ "gIA=" | b64dec | quote }}|{{ "/w==" | b64dec | len }}|{{ "4oI=" | b64dec | printf "%q %x % X" }}""",
        """{{ "3q2+7w==" | b64dec | b64enc }}|{{ "3q2+7w==" | b64dec | sha256sum }}|{{ "3q2+7w==" | b64dec | b32enc }}""",
        """{{ print (empty false) | b64dec | urlquery }}|{{ "3q2+7w==" | b64dec | toJson }}|{{ "3q2+7w==" | b64dec | js }}""",
        """{{ substr 0 1 "é" | len }}|{{ substr 0 1 "é" | printf "%q" }}|{{ trunc 1 "日本" | b64enc }}|{{ slice "é" 0 1 | quote }}""",
        """{{ $k := "k" }}{{ "3q2+7w==" | b64dec | encryptAES $k | decryptAES $k | b64enc }}""",
        """{{ range $i, $r := ("gOk=" | b64dec) }}{{ $i }}:{{ $r }} {{ end }}""");

    [Fact]
    public void TrimAllWithAnEmptyCutsetKeepsTheString() => AssertSameAsGo(
        "sprig",
        """[{{ trimAll "" "  abc  " }}]|[{{ trimall "" "xx" }}]|[{{ trimAll "x" "xxaxx" }}]""");

    [Fact]
    public void FailIsASprigFunction() => AssertSameAsGo(
        "sprig",
        """{{ fail "boom" }}""");

    [Fact]
    public void ToTomlOfNilFailsAsGosEncoderPanics() => AssertSameAsGo(
        "helm",
        """{{ toToml nil }}""",
        """{{ toToml .missing }}""",
        """{{ toToml .n }}""",
        """[{{ toToml (dict) }}]""",
        """{{ toToml .m }}""",
        """[{{ unset nil "a" | toToml }}]|{{ unset nil "a" | toYamlPretty }}""");
}
