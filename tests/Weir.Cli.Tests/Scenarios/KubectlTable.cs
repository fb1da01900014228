using Weir.Testing;

namespace Weir.Cli.Tests.Scenarios;

/// <summary>Runs real kubectl and reads its table output by column header, as a person reads it.</summary>
public static class KubectlTable
{
    /// <summary>The rows of <c>kubectl get ARGS</c>, each a map from column header to cell.</summary>
    public static async Task<List<Dictionary<string, string>>> GetAsync(string kubeconfig, params string[] args)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, 32, ["get", .. args]);
        Assert.True(code == 0, $"kubectl get {string.Join(' ', args)} failed: {stderr}");
        return Parse(stdout);
    }

    public static async Task<Dictionary<string, string>> RowAsync(string kubeconfig, string kind, string ns, string name)
    {
        var rows = await GetAsync(kubeconfig, kind, "-n", ns);
        return rows.SingleOrDefault(r => r["NAME"] == name || r["NAME"].EndsWith("/" + name, StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"kubectl get {kind} -n {ns} has no row {name}: {string.Join("; ", rows.Select(r => r["NAME"]))}");
    }

    /// <summary>Splits a table (or several, separated by blank lines) at its header's column starts.</summary>
    public static List<Dictionary<string, string>> Parse(string output)
    {
        var rows = new List<Dictionary<string, string>>();
        List<(string Name, int Start)>? columns = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                columns = null;
                continue;
            }

            if (columns is null)
            {
                columns = [];
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(line, @"\S+(?: \S+)*"))
                {
                    columns.Add((m.Value, m.Index));
                }

                continue;
            }

            var row = new Dictionary<string, string>();
            for (var i = 0; i < columns.Count; i++)
            {
                var start = Math.Min(columns[i].Start, line.Length);
                var end = i + 1 < columns.Count ? Math.Min(columns[i + 1].Start, line.Length) : line.Length;
                row[columns[i].Name] = line[start..end].Trim();
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The Conditions section's Message of <c>kubectl describe</c>, lines joined as one.</summary>
    public static async Task<string> DescribeAsync(string kubeconfig, string kind, string ns, string name)
    {
        var (code, stdout, stderr) = await Kubectl.RunAsync(kubeconfig, 32, "describe", kind, name, "-n", ns);
        Assert.True(code == 0, $"kubectl describe {kind} {name} failed: {stderr}");
        return stdout;
    }
}
