using System.Text;
using Weir.Kustomize.Loading;

namespace Weir.Kustomize.Generators;

/// <summary>Reads generator key/value sources: literals, files and env files, as kustomize does.</summary>
internal static class DataSources
{
    public sealed record Entry(string Key, byte[]? Binary, string? Text);

    public static List<Entry> Collect(GeneratorArgs args, FileLoader loader)
    {
        var entries = new List<Entry>();
        foreach (var env in args.Envs)
        {
            foreach (var (k, v) in ParseEnvFile(loader.ReadText(env), env))
            {
                entries.Add(new Entry(k, null, v));
            }
        }

        foreach (var literal in args.Literals)
        {
            var eq = literal.IndexOf('=');
            if (eq < 0)
            {
                throw new KustomizeException($"invalid literal source {literal}, expected key=value");
            }

            entries.Add(new Entry(literal[..eq], null, RemoveQuotes(literal[(eq + 1)..])));
        }

        foreach (var file in args.Files)
        {
            var eq = file.IndexOf('=');
            string key;
            string path;
            if (eq >= 0)
            {
                key = file[..eq];
                path = file[(eq + 1)..];
                if (key.Length == 0)
                {
                    throw new KustomizeException($"key name for file path {path} missing");
                }
            }
            else
            {
                path = file;
                key = Path.GetFileName(file);
            }

            var bytes = loader.ReadBytes(path);
            entries.Add(IsUtf8(bytes) ? new Entry(key, null, Encoding.UTF8.GetString(bytes)) : new Entry(key, bytes, null));
        }

        return entries;
    }

    private static string RemoveQuotes(string s) =>
        s.Length >= 2 && ((s[0] == '"' && s[^1] == '"') || (s[0] == '\'' && s[^1] == '\'')) ? s[1..^1] : s;

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static IEnumerable<(string Key, string Value)> ParseEnvFile(string text, string source)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (i == 0)
            {
                line = line.TrimStart('\uFEFF');
            }

            line = line.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=');
            if (eq < 0)
            {
                var name = line.Trim();
                yield return (name, Environment.GetEnvironmentVariable(name) ?? "");
                continue;
            }

            var key = line[..eq];
            if (key.Any(char.IsWhiteSpace))
            {
                throw new KustomizeException($"{source}: invalid env key \"{key}\" on line {i + 1}: a valid environment variable name must not contain whitespace");
            }

            yield return (key, line[(eq + 1)..]);
        }
    }
}
