using Weir.Core.Time;

namespace Weir.Core.Tests.Time;

public class FluxDurationTests
{
    // Whole and fractional values across every unit; every one a multiple of 100ns (one .NET tick).
    private static readonly long[] Nanoseconds =
    [
        0, 100, 1_500, 999_900, 1_000_000, 1_500_000, 500_000_000, 999_999_900, 1_000_000_000, 1_500_000_000,
        30_000_000_000, 59_999_999_900, 60_000_000_000, 90_000_000_000, 300_000_000_000, 330_500_000_000,
        3_600_000_000_000, 3_661_000_000_000, 5_400_250_000_000, 86_400_000_000_000, 360_000_000_000_000,
        -1_500_000_000, -90_000_000_000,
    ];

    private static readonly string[] Texts =
    [
        "1s", "1m", "1h", "5m0s", "1m30s", "1h0m0s", "10m", "500ms", "1.5s", "0.5m", "2h45m", "1h1m1s",
        "90s", "0s", "1.25h", "100ms200ms", "3m2m1s", "0.001s", "60m", "10.5ms",
    ];

    [Fact]
    public void FormatMatchesGo()
    {
        var expected = RunGo(Nanoseconds.Select(n => $"F {n}"));
        for (var i = 0; i < Nanoseconds.Length; i++)
        {
            Assert.Equal(expected[i], FluxDuration.Format(TimeSpan.FromTicks(Nanoseconds[i] / 100)));
        }
    }

    [Fact]
    public void ParseMatchesGo()
    {
        var expected = RunGo(Texts.Select(t => $"P {t}"));
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.True(FluxDuration.TryParse(Texts[i], out var parsed), Texts[i]);
            Assert.Equal(long.Parse(expected[i]) / 100, parsed.Ticks);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1d")]
    [InlineData("-1s")]
    [InlineData("1 s")]
    [InlineData("1.s")]
    [InlineData("s")]
    [InlineData("1us")]
    public void RejectsWhatFluxsPatternRejects(string text)
    {
        Assert.False(FluxDuration.IsValid(text));
        Assert.False(FluxDuration.TryParse(text, out _));
        var error = Assert.Throws<FormatException>(() => FluxDuration.Parse(text));
        Assert.Contains(text, error.Message);
    }

    private static string[] RunGo(IEnumerable<string> lines)
    {
        var program = TestPaths.Output("Time", "go-durations.go");
        var (code, output, errors) = TestProcess.Run("go", ["run", program], input: string.Join('\n', lines) + "\n",
            environment: new Dictionary<string, string?> { ["GO111MODULE"] = "off", ["GOCACHE"] = Path.Combine(Path.GetTempPath(), "weir-go-cache") });
        Assert.True(code == 0, "go run failed: " + errors);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
