using Weir.Helm.Values;
using Weir.Templates.Values;

namespace Weir.Helm.Tests;

/// <summary>Helm's <c>--set</c> family semantics (expectations from helm/helm's strvals parser tests).</summary>
public sealed class SetValueParserTests
{
    private static string Parse(string expression, SetValueMode mode = SetValueMode.Typed)
    {
        var map = new GoMap();
        SetValueParser.ParseInto(expression, map, mode);
        return Value.Map(map).ToString();
    }

    [Theory]
    [InlineData("name=value", "map[name:value]")]
    [InlineData("long_int_string=1234567890", "map[long_int_string:1234567890]")]
    [InlineData("boolean=true", "map[boolean:true]")]
    [InlineData("is_null=null", "map[is_null:<nil>]")]
    [InlineData("zero=0", "map[zero:0]")]
    [InlineData("leading_zeros=00009", "map[leading_zeros:00009]")]
    [InlineData("name1=value1,name2=value2", "map[name1:value1 name2:value2]")]
    [InlineData("outer.inner=value", "map[outer:map[inner:value]]")]
    [InlineData("outer.inner1=value,outer.inner3=value3", "map[outer:map[inner1:value inner3:value3]]")]
    [InlineData("name1.name2=one\\,two", "map[name1:map[name2:one,two]]")]
    [InlineData("name1\\.name2=value", "map[name1.name2:value]")]
    [InlineData("list[0]=foo,list[1]=bar", "map[list:[foo bar]]")]
    [InlineData("list[2]=foo", "map[list:[<nil> <nil> foo]]")]
    [InlineData("list[0].foo=bar,list[0].hello=world", "map[list:[map[foo:bar hello:world]]]")]
    [InlineData("nested[0][0]=1", "map[nested:[[1]]]")]
    [InlineData("name1={value1,value2}", "map[name1:[value1 value2]]")]
    [InlineData("name=", "map[name:]")]
    [InlineData("$chart_tests=true", "map[$chart_tests:true]")]
    public void Typed(string expression, string expected) => Assert.Equal(expected, Parse(expression));

    [Theory]
    [InlineData("boolean=true,number=1", "map[boolean:true number:1]")]
    [InlineData("list[0]=0001", "map[list:[0001]]")]
    public void Strings(string expression, string expected)
    {
        var map = new GoMap();
        SetValueParser.ParseInto(expression, map, SetValueMode.String);
        Assert.Equal(expected, Value.Map(map).ToString());
        Assert.True(map.Entries.All(e => e.Value.IsString || e.Value.IsList));
    }

    [Fact]
    public void TypedNumbersAreInt64AndStringsStayStrings()
    {
        var map = new GoMap();
        SetValueParser.ParseInto("n=10,s=abc,t=TRUE", map);
        map.TryGet("n", out var n);
        map.TryGet("t", out var t);
        Assert.Equal("int64", n.Type!.Name);
        Assert.Equal("bool", t.Type!.Name);
    }

    [Theory]
    [InlineData("outer.inner={\"a\":[1,\"x\"]}", "map[outer:map[inner:map[a:[1 x]]]]")]
    [InlineData("a=[1,2],b=\"c\"", "map[a:[1 2] b:c]")]
    [InlineData("a=null", "map[a:<nil>]")]
    public void Json(string expression, string expected) => Assert.Equal(expected, Parse(expression, SetValueMode.Json));

    [Theory]
    [InlineData("name", "key \"name\" has no value")]
    [InlineData("name1,name2=", "key \"name1\" has no value (cannot end with ,)")]
    [InlineData("list[65537]=x", "index of 65537 is greater than maximum supported index of 65536")]
    [InlineData("name1={value1", "list must terminate with '}'")]
    [InlineData("list[0]x=1", "unexpected data at end of array index: \"x\"")]
    public void MalformedExpressionsFailWithHelmsMessage(string expression, string message)
    {
        var e = Assert.Throws<ValuesException>(() => Parse(expression));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void NamesNestedDeeperThanThirtyLevelsAreRefused()
    {
        var deep = string.Join('.', Enumerable.Range(0, 32).Select(i => "k" + i)) + "=v";
        var e = Assert.Throws<ValuesException>(() => Parse(deep));
        Assert.Contains("maximum supported nested level of 30", e.Message, StringComparison.Ordinal);
    }
}
