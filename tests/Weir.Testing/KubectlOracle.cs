using System.Text.RegularExpressions;

namespace Weir.Testing;

/// <summary>Runs the real <c>kubectl kustomize</c> (the oracle for builds and their error messages).</summary>
public static partial class KubectlOracle
{
    public static ProcessResult Kustomize(string directory) => TestProcess.Run("kubectl", ["kustomize", directory]);

    /// <summary>
    /// The YAML error kubectl kustomize reports for the file <paramref name="fileName"/> of a build of
    /// <paramref name="directory"/>: the text between <c>MalformedYAMLError: </c> and <c> in File: …</c>.
    /// </summary>
    public static string MalformedYamlError(string directory, string fileName)
    {
        var (code, _, stderr) = Kustomize(directory);
        var match = MalformedYaml().Match(stderr);
        if (code == 0 || !match.Success || match.Groups[2].Value != fileName)
        {
            throw new InvalidOperationException($"kubectl kustomize did not report a YAML error in {fileName}: exit {code}, {stderr}");
        }

        return Regex.Unescape(match.Groups[1].Value);
    }

    [GeneratedRegex("MalformedYAMLError: (.*?) in File: ([^\"\\s]+)")]
    private static partial Regex MalformedYaml();
}
