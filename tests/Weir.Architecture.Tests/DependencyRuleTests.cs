using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Weir.Architecture.Tests;

/// <summary>
/// The dependency rule of docs/layout.md: every project under <c>src/</c> references only the projects its row
/// allows, and the table here is the table in the document.
/// </summary>
public sealed partial class DependencyRuleTests
{
    private const string Cli = "Weir.Cli";

    /// <summary>The allowed references of each project; the CLI may reference every project.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Weir.Core"] = [],
        ["Weir.Cluster"] = ["Weir.Core"],
        ["Weir.Runtime"] = ["Weir.Core"],
        ["Weir.Kustomize"] = ["Weir.Core"],
        ["Weir.Templates"] = ["Weir.Core"],
        ["Weir.Oci"] = ["Weir.Core", "Weir.Runtime"],
        ["Weir.Helm"] = ["Weir.Core", "Weir.Runtime", "Weir.Oci", "Weir.Templates"],
        ["Weir.Sources"] = ["Weir.Core", "Weir.Runtime", "Weir.Oci", "Weir.Helm"],
        ["Weir.Controllers"] = ["Weir.Core", "Weir.Runtime", "Weir.Kustomize", "Weir.Helm"],
        ["Weir.Hosting"] = ["Weir.Core", "Weir.Runtime", "Weir.Cluster", "Weir.Oci", "Weir.Helm", "Weir.Sources", "Weir.Controllers"],
        [Cli] = [],
    };

    private static string LayoutDoc => Path.Combine(TestPaths.RepoRoot, "docs", "layout.md");

    [Fact]
    public void EverySourceProjectReferencesOnlyWhatItsRowAllows()
    {
        var projects = SourceProjects();
        Assert.Contains("Weir.Runtime", projects.Keys);
        var violations = new List<string>();
        foreach (var (project, references) in projects)
        {
            if (!Allowed.TryGetValue(project, out var allowed))
            {
                violations.Add($"{project} has no row in the dependency rule (docs/layout.md and {nameof(DependencyRuleTests)})");
                continue;
            }

            violations.AddRange(references
                .Where(r => r == project || (project != Cli && !allowed.Contains(r)))
                .Select(r => $"{project} references {r}; allowed: {(allowed.Length == 0 ? "nothing" : string.Join(", ", allowed))}"));
        }

        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void TheRuleIsOneGraphWithoutCycles()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        foreach (var project in Allowed.Keys.Where(p => p != Cli))
        {
            Visit(project);
        }

        void Visit(string project)
        {
            Assert.True(Allowed.ContainsKey(project), $"{project} is allowed as a reference but has no row");
            Assert.True(visiting.Add(project), $"the rule has a cycle through {project}");
            foreach (var reference in Allowed[project].Where(r => !done.Contains(r)))
            {
                Visit(reference);
            }

            visiting.Remove(project);
            done.Add(project);
        }
    }

    [Fact]
    public void TheDocumentShowsTheSameTable()
    {
        var rows = DocumentRows();
        Assert.Equal(Allowed.Keys.Order(), rows.Keys.Order());
        foreach (var (project, allowed) in Allowed.Where(a => a.Key != Cli))
        {
            Assert.True(allowed.Order().SequenceEqual(rows[project].Order()),
                $"{project}: the test allows [{string.Join(", ", allowed)}], docs/layout.md [{string.Join(", ", rows[project])}]");
        }

        Assert.Equal("every project", rows[Cli].Single());
    }

    /// <summary>Each <c>src/NAME/NAME.csproj</c> with the project names of its ProjectReferences.</summary>
    private static Dictionary<string, string[]> SourceProjects() =>
        Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "src"), "*.csproj", SearchOption.AllDirectories)
            .ToDictionary(
                path => Path.GetFileNameWithoutExtension(path),
                path => XDocument.Load(path).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToArray());

    /// <summary>The rows of the table under "The dependency rule" in docs/layout.md: project → the names in its second cell.</summary>
    private static Dictionary<string, string[]> DocumentRows()
    {
        var text = File.ReadAllText(LayoutDoc);
        var section = text[text.IndexOf("## The dependency rule", StringComparison.Ordinal)..];
        var rows = new Dictionary<string, string[]>();
        foreach (Match row in TableRow().Matches(section))
        {
            var cell = row.Groups["allowed"].Value.Trim();
            var names = CodeSpan().Matches(cell).Select(m => m.Groups[1].Value).ToArray();
            rows[row.Groups["project"].Value] = names.Length > 0 || cell == "(nothing)" ? names : [cell];
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(?<project>Weir\.\w+)` \| (?<allowed>[^|]*) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
