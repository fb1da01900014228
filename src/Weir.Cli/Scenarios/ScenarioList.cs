namespace Weir.Cli.Scenarios;

/// <summary>The <c>weir up --list-scenarios</c> listing: name and one-line description.</summary>
public static class ScenarioList
{
    public static void Write(TextWriter output)
    {
        var width = ScenarioCatalog.All.Max(s => s.Name.Length);
        foreach (var scenario in ScenarioCatalog.All)
        {
            output.WriteLine($"{scenario.Name.PadRight(width)}  {scenario.Description}");
        }
    }
}
