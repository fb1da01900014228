using System.Text.Json.Nodes;
using Weir.Core.Cel;

namespace Weir.Core.Tests.Cel;

/// <summary>
/// CEL semantics from the language definition (github.com/google/cel-spec, langdef.md); no CEL implementation is
/// installable here to generate expectations, so each case cites the rule it checks.
/// </summary>
public class CelExpressionTests
{
    private static readonly JsonObject Certificate = JsonNode.Parse("""
        {
          "apiVersion": "cert-manager.io/v1",
          "kind": "Certificate",
          "metadata": {"name": "web", "generation": 3, "labels": {"app": "web"}},
          "spec": {"dnsNames": ["a.example.com", "b.example.com"], "duration": "2160h"},
          "status": {
            "observedGeneration": 3,
            "conditions": [
              {"type": "Issuing", "status": "False"},
              {"type": "Ready", "status": "True", "reason": "Ready", "message": "Certificate is up to date and has not expired"}
            ]
          }
        }
        """)!.AsObject();

    [Theory]
    // Flux's documented health check expressions for custom resources.
    [InlineData("status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'True')", "true")]
    [InlineData("status.conditions.filter(e, e.type == 'Ready').all(e, e.status == 'False')", "false")]
    [InlineData("status.conditions.exists(e, e.type == 'Ready' && e.status == 'True')", "true")]
    [InlineData("status.observedGeneration == metadata.generation", "true")]
    // has() tests presence without failing; selection of a missing key is an error (below).
    [InlineData("has(status.conditions)", "true")]
    [InlineData("has(status.phase)", "false")]
    [InlineData("has(metadata.labels.app) && metadata.labels.app == 'web'", "true")]
    // Optional selection and defaults.
    [InlineData("status.?phase.orValue('Pending')", "Pending")]
    [InlineData("metadata.?labels.?app.orValue('none')", "web")]
    [InlineData("status.?phase.hasValue()", "false")]
    [InlineData("optional.of(1).value()", "1")]
    // Operators, precedence, heterogeneous numeric equality and ordering.
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("7 / 2", "3")]
    [InlineData("-7 % 3", "-1")]
    [InlineData("-(2)", "-2")]
    [InlineData("type(metadata.generation)", "int")]
    [InlineData("type(-(1.5))", "double")]
    [InlineData("7.0 / 2.0", "3.5")]
    [InlineData("1 == 1.0", "true")]
    [InlineData("2u > 1", "true")]
    [InlineData("3 < 2.5", "false")]
    [InlineData("'a' < 'b'", "true")]
    [InlineData("'ab' + 'cd'", "abcd")]
    [InlineData("[1, 2] + [3]", "[1, 2, 3]")]
    [InlineData("1 == 'a'", "false")]
    [InlineData("null == null", "true")]
    [InlineData("!false", "true")]
    [InlineData("true ? 'yes' : 'no'", "yes")]
    [InlineData("false ? 1 : true ? 2 : 3", "2")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("0x10 + 1", "17")]
    // in, size, indexing, list/map literals, macros.
    [InlineData("'a.example.com' in spec.dnsNames", "true")]
    [InlineData("'kind' in {'kind': 1}", "true")]
    [InlineData("size(spec.dnsNames)", "2")]
    [InlineData("spec.dnsNames.size()", "2")]
    [InlineData("size('héllo')", "5")]
    [InlineData("spec.dnsNames[1]", "b.example.com")]
    [InlineData("metadata['labels']['app']", "web")]
    [InlineData("{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])", "true")]
    [InlineData("[1, 2, 3].exists_one(x, x > 2)", "true")]
    [InlineData("[1, 2, 3].map(x, x * 2)", "[2, 4, 6]")]
    [InlineData("[1, 2, 3].map(x, x > 1, x * 10)", "[20, 30]")]
    [InlineData("[1, 2, 3].filter(x, x % 2 == 1)", "[1, 3]")]
    [InlineData("[].all(x, x > 0)", "true")]
    [InlineData("[].exists(x, x > 0)", "false")]
    // Strings: standard functions and the strings extension.
    [InlineData("status.conditions[1].message.startsWith('Certificate')", "true")]
    [InlineData("status.conditions[1].message.contains('not expired')", "true")]
    [InlineData("spec.duration.endsWith('h')", "true")]
    [InlineData("spec.duration.matches('^[0-9]+h$')", "true")]
    [InlineData("'Hello'.lowerAscii() + 'x'.upperAscii()", "helloX")]
    [InlineData("'a,b,c'.split(',').join('-')", "a-b-c")]
    [InlineData("'  pad '.trim()", "pad")]
    [InlineData("'banana'.indexOf('an')", "1")]
    [InlineData("'banana'.lastIndexOf('an')", "3")]
    [InlineData("'banana'.substring(1, 3)", "an")]
    [InlineData("'banana'.replace('a', 'o')", "bonono")]
    [InlineData("int('42') + int(2.9)", "44")]
    [InlineData("string(3) + string(true)", "3true")]
    [InlineData("double(1) / 4.0", "0.25")]
    [InlineData("r'\\d+'", "\\d+")]
    [InlineData("'tab\\tend'.size()", "7")]
    [InlineData("'''multi\nline'''.contains('\\n')", "true")]
    public void EvaluatesAsTheLanguageDefinitionSays(string expression, string expected) =>
        Assert.Equal(expected, CelExpression.Format(CelExpression.Parse(expression).Evaluate(Certificate)));

    [Theory]
    // && and || are commutative over errors: a decisive side wins even if the other side fails.
    [InlineData("status.phase == 'Ready' || true", true)]
    [InlineData("false && status.phase == 'Ready'", false)]
    [InlineData("status.phase == 'Ready' && false", false)]
    [InlineData("[1, 0].exists(x, 1 / x == 1)", true)]
    [InlineData("[0, 1].all(x, 1 / x == 5)", false)]
    public void LogicalOperatorsAbsorbErrorsWhenTheOtherSideDecides(string expression, bool expected) =>
        Assert.Equal(expected, CelExpression.Parse(expression).EvaluateBoolean(Certificate));

    [Theory]
    [InlineData("status.phase == 'Ready'", "no such key: phase")]
    [InlineData("spec.dnsNames[5]", "index out of bounds: 5")]
    [InlineData("unknownVar", "no such attribute(s): unknownVar")]
    [InlineData("1 + 'a'", "no such overload")]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("9223372036854775807 + 1", "return error for overflow")]
    [InlineData("status.phase == 'Ready' && true", "no such key: phase")]
    [InlineData("{'a': 1, 'a': 2}", "repeated key")]
    [InlineData("nope('x')", "undeclared reference to 'nope'")]
    public void EvaluationErrorsNameTheirCause(string expression, string expected)
    {
        var error = Assert.Throws<CelException>(() => CelExpression.Parse(expression).Evaluate(Certificate));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("status.conditions.filter(e, e.type == 'Ready'")]
    [InlineData("1 +")]
    [InlineData("'unterminated")]
    [InlineData("a.b.")]
    [InlineData("has(a)")]
    [InlineData("x.all(1, true)")]
    [InlineData("1 2")]
    [InlineData("if")]
    [InlineData("'\\q'")]
    [InlineData("a # b")]
    public void MalformedExpressionsFailToParseWithASyntaxError(string expression)
    {
        var error = Assert.Throws<CelException>(() => CelExpression.Parse(expression));
        Assert.StartsWith("Syntax error:", error.Message);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(1_000)]
    public void DeeplyNestedOrHugeExpressionsFailToParseInsteadOfExhaustingTheStack(int depth)
    {
        foreach (var hostile in new[]
        {
            new string('(', depth) + "1" + new string(')', depth), new string('!', depth) + "true", new string('-', depth) + "1",
            "1" + string.Concat(Enumerable.Repeat("+1", depth / 2)), "a" + string.Concat(Enumerable.Repeat(".b", depth / 2)),
            "true" + string.Concat(Enumerable.Repeat("&&true", depth / 2)), "x" + string.Concat(Enumerable.Repeat("[0]", depth / 3)),
        })
        {
            var error = Assert.Throws<CelException>(() => CelExpression.Parse(hostile));
            Assert.Contains(hostile.Length > 100_000 ? "exceeds limit" : "recursion limit exceeded", error.Message);
        }

        Assert.Equal("1", CelExpression.Format(CelExpression.Parse(new string('(', 100) + "1" + new string(')', 100)).Evaluate([])));
        Assert.Equal("101", CelExpression.Format(CelExpression.Parse("1" + string.Concat(Enumerable.Repeat("+1", 100))).Evaluate([])));
    }

    [Fact]
    public void NestedComprehensionsOverLargeListsStopAtTheCostLimit()
    {
        var list = "[" + string.Join(",", Enumerable.Range(0, 100)) + "]";
        var expression = CelExpression.Parse($"{list}.all(a, {list}.all(b, {list}.all(c, {list}.all(d, a + b + c + d >= 0))))");
        var error = Assert.Throws<CelException>(() => expression.Evaluate([]));
        Assert.Contains("cost limit exceeded", error.Message);
    }

    [Fact]
    public void ANonBooleanResultIsAnErrorForABooleanExpression()
    {
        var error = Assert.Throws<CelException>(() => CelExpression.Parse("metadata.name").EvaluateBoolean(Certificate));
        Assert.Equal("failed to evaluate CEL expression as boolean: 'metadata.name'", error.Message);
        error = Assert.Throws<CelException>(() => CelExpression.Parse("status.phase == 'x'").EvaluateBoolean(Certificate));
        Assert.Equal("failed to evaluate the CEL expression 'status.phase == 'x'': no such key: phase", error.Message);
    }
}
