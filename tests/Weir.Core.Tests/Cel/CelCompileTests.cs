using System.Text.Json.Nodes;
using Weir.Core.Cel;

namespace Weir.Core.Tests.Cel;

/// <summary>
/// Checking expressions against declared types (as a CRD's rules are checked against its schema) and the functions
/// of Kubernetes' CEL environment. Error texts follow cel-go's checker (undeclared reference, undefined field, no
/// matching overload) and its display of a location (<c>ERROR: &lt;input&gt;:LINE:COLUMN: …</c>, source line, caret);
/// function results follow the CEL specification and Kubernetes' library documentation.
/// </summary>
public class CelCompileTests
{
    private static readonly CelType Spec = CelType.Object(
    [
        new CelField("replicas", "replicas", CelType.Int),
        new CelField("name", "name", CelType.String),
        new CelField("tags", "tags", CelType.List(CelType.String)),
        new CelField("labels", "labels", CelType.Map(CelType.String, CelType.String)),
        new CelField("ratio", "ratio", CelType.Double),
        new CelField("until", "until", CelType.Timestamp),
        new CelField("timeout", "timeout", CelType.Duration),
        new CelField("x__dash__y", "x-y", CelType.String),
    ]);

    private static readonly Dictionary<string, CelType> Variables = new() { ["self"] = Spec, ["oldSelf"] = Spec };

    private static readonly JsonObject Value = JsonNode.Parse("""
        {"replicas":3,"name":"web","tags":["b","a","c"],"labels":{"app":"web"},"ratio":2,"until":"2030-01-02T03:04:05Z",
         "timeout":"1m30s","x-y":"dash","undeclared":"hidden"}
        """)!.AsObject();

    [Theory]
    [InlineData("self.replicas > 1", "bool")]
    [InlineData("self.name + '-x'", "string")]
    [InlineData("self.tags.map(t, size(t))", "list(int)")]
    [InlineData("self.labels['app']", "string")]
    [InlineData("self.?name", "optional_type(string)")]
    [InlineData("self.until - timestamp('2020-01-01T00:00:00Z')", "google.protobuf.Duration")]
    [InlineData("type(self.name) == string", "bool")]
    [InlineData("dyn(self.name).whatever", "dyn")]
    public void InfersTheTypeOfAnExpression(string source, string type)
    {
        var compiled = CelExpression.Compile(source, Variables);
        Assert.True(compiled.Expression is not null, compiled.Errors);
        Assert.Equal(type, compiled.Type.ToString());
    }

    [Theory]
    [InlineData("self.nope > 1", "ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^")]
    [InlineData("selff.replicas > 1", "ERROR: <input>:1:1: undeclared reference to 'selff' (in container '')\n | selff.replicas > 1\n | ^")]
    [InlineData("self.name > 1", "ERROR: <input>:1:11: found no matching overload for '_>_' applied to '(string, int)'\n | self.name > 1\n | ..........^")]
    [InlineData("self.replicas + self.ratio > 1.0", "ERROR: <input>:1:15: found no matching overload for '_+_' applied to '(int, double)'\n | self.replicas + self.ratio > 1.0\n | ..............^")]
    [InlineData("self.replicas.startsWith('a')", "ERROR: <input>:1:14: found no matching overload for 'startsWith' applied to 'int.(string)'\n | self.replicas.startsWith('a')\n | .............^")]
    [InlineData("frobnicate(self.name)", "ERROR: <input>:1:1: undeclared reference to 'frobnicate' (in container '')\n | frobnicate(self.name)\n | ^")]
    [InlineData("self.replicas > 1 &&\n  self.nope", "ERROR: <input>:2:7: undefined field 'nope'\n |   self.nope\n | ......^")]
    [InlineData("self.replicas >", "ERROR: <input>:1:16: Syntax error: unexpected end of expression\n | self.replicas >\n | ...............^")]
    public void ReportsWhatTheCheckerReportsWhereItPoints(string source, string errors)
    {
        var compiled = CelExpression.Compile(source, Variables);
        Assert.Null(compiled.Expression);
        Assert.Equal(errors, compiled.Errors);
    }

    [Fact]
    public void NotesReferencedVariablesAndFunctionsWeirDoesNotEvaluate()
    {
        var compiled = CelExpression.Compile("self.name == oldSelf.name || isURL(self.name)", Variables);
        Assert.NotNull(compiled.Expression);
        Assert.Equal(["oldSelf", "self"], compiled.Referenced.Order());
        Assert.Equal(["isURL"], compiled.UnsupportedFunctions);
    }

    [Theory]
    [InlineData("!format.dns1123Label().validate(self.name).hasValue()", "format.dns1123Label,validate")]
    [InlineData("quantity(self.name).isGreaterThan(quantity('1Gi'))", "isGreaterThan,quantity")]
    [InlineData("math.abs(self.replicas) < 3", "math.abs")]
    [InlineData("self.labels.all(k, v, k != v)", "all")]
    [InlineData("self.?name.optMap(n, size(n)).orValue(0) > 1", "optMap")]
    public void FunctionsOfKubernetesEnvironmentWeirLacksAreNotedNotRejected(string source, string functions)
    {
        var compiled = CelExpression.Compile(source, Variables);
        Assert.True(compiled.Expression is not null, compiled.Errors);
        Assert.Equal(functions, string.Join(",", compiled.UnsupportedFunctions.Order(StringComparer.Ordinal)));
    }

    [Theory]
    // Only declared fields are visible, under their escaped names; number fields are doubles even when integral.
    [InlineData("dyn(self).exists(k, k == 'undeclared')", "false")]
    [InlineData("self.x__dash__y", "dash")]
    [InlineData("type(self.ratio)", "double")]
    [InlineData("self.ratio == 2", "true")]
    // Timestamps and durations from date-time and duration strings; Go duration syntax; UTC accessors.
    [InlineData("self.until > timestamp('2030-01-01T00:00:00Z')", "true")]
    [InlineData("self.until.getFullYear()", "2030")]
    [InlineData("self.until.getMonth()", "0")]
    [InlineData("self.timeout == duration('90s')", "true")]
    [InlineData("string(self.timeout)", "90s")]
    [InlineData("self.timeout.getMinutes()", "1")]
    [InlineData("string(self.until + duration('1h'))", "2030-01-02T04:04:05Z")]
    [InlineData("self.until - timestamp('2030-01-02T03:04:04Z') == duration('1s')", "true")]
    // Kubernetes' lists, regex and sets libraries.
    [InlineData("self.tags.isSorted()", "false")]
    [InlineData("['a', 'b'].isSorted()", "true")]
    [InlineData("[1, 2, 3].sum()", "6")]
    [InlineData("[1.5, 2.5].sum()", "4")]
    [InlineData("self.tags.min() + self.tags.max()", "ac")]
    [InlineData("self.tags.indexOf('a')", "1")]
    [InlineData("[1, 2, 1].lastIndexOf(1)", "2")]
    [InlineData("'abc 123 def 456'.find('[0-9]+')", "123")]
    [InlineData("'abc 123 def 456'.findAll('[0-9]+')", "[123, 456]")]
    [InlineData("'abc 123 def 456'.findAll('[0-9]+', 1)", "[123]")]
    [InlineData("sets.contains(self.tags, ['a', 'c'])", "true")]
    [InlineData("sets.equivalent(['a', 'b', 'a'], ['b', 'a'])", "true")]
    [InlineData("sets.intersects(self.tags, ['x', 'y'])", "false")]
    // cel.bind names a value for the rest of the expression.
    [InlineData("cel.bind(n, self.name, n + '-' + n)", "web-web")]
    [InlineData("cel.bind(t, self.tags, t.size() + t.filter(x, x > 'a').size())", "5")]
    // The strings extension's forms with a count or an offset.
    [InlineData("'a.b.c'.split('.', 2)", "[a, b.c]")]
    [InlineData("'aaa'.replace('a', 'b', 2)", "bba")]
    [InlineData("'banana'.indexOf('an', 2)", "3")]
    [InlineData("'banana'.lastIndexOf('an', 2)", "1")]
    public void EvaluatesValuesOfDeclaredTypes(string source, string expected)
    {
        var compiled = CelExpression.Compile(source, Variables);
        Assert.True(compiled.Expression is not null, compiled.Errors);
        var variables = new Dictionary<string, object?> { ["self"] = CelExpression.Value(Value, Spec) };
        Assert.Equal(expected, CelExpression.Format(compiled.Expression!.Evaluate(variables, 1_000_000, out _)));
    }

    [Fact]
    public void OptionalVariablesHoldAValueOrNone()
    {
        var variables = new Dictionary<string, CelType> { ["self"] = CelType.Int, ["oldSelf"] = CelType.Optional(CelType.Int) };
        var rule = CelExpression.Compile("oldSelf.hasValue() ? self >= oldSelf.value() : self == 1", variables).Expression!;
        bool Run(long self, object old) => (bool)rule.Evaluate(new Dictionary<string, object?> { ["self"] = self, ["oldSelf"] = old }, 1000, out _)!;

        Assert.True(Run(1, CelExpression.Optional(null, hasValue: false)));
        Assert.False(Run(2, CelExpression.Optional(null, hasValue: false)));
        Assert.True(Run(5, CelExpression.Optional(4L, hasValue: true)));
        Assert.False(Run(3, CelExpression.Optional(4L, hasValue: true)));
    }

    [Fact]
    public void AnEvaluationStopsAtItsStepLimitAndReportsItsCost()
    {
        var expression = CelExpression.Parse("[1, 2, 3].all(x, [1, 2, 3].all(y, x + y > 0))");
        Assert.Equal(true, expression.Evaluate(new Dictionary<string, object?>(), 1000, out var steps));
        Assert.InRange(steps, 20, 1000);

        var error = Assert.Throws<CelException>(() => expression.Evaluate(new Dictionary<string, object?>(), steps - 1, out _));
        Assert.Equal("operation cancelled: actual cost limit exceeded", error.Message);
    }
}
