using System.Text;

namespace Weir.Sources.GitRepositories;

/// <summary>A signature that does not verify, worded as Flux's git package words it.</summary>
public sealed class SignatureException(string message) : Exception(message);

/// <summary>
/// Verifies the OpenPGP signature of a fetched commit or annotated tag with the real <c>gpg</c>, against only the
/// armored public keys given (each value of the <c>verify.secretRef</c> Secret), imported into a throw-away GNUPGHOME.
/// Returns the primary key ID that signed, as Flux reports it.
/// </summary>
public sealed class GitSignatures(GitCommand git, string gitDir) : IDisposable
{
    /// <summary>The gpg executable (PATH lookup).</summary>
    public static string Executable { get; set; } = "gpg";

    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("weir-gnupg-");

    /// <summary>Imports the key rings; keys that do not parse are left out, as a key ring that verifies nothing.</summary>
    public async Task ImportAsync(IEnumerable<string> keyRings, CancellationToken cancellationToken)
    {
        foreach (var keys in keyRings)
        {
            var file = Path.Combine(_home.FullName, $"{Guid.NewGuid():N}.asc");
            await File.WriteAllTextAsync(file, keys, cancellationToken);
            await GpgAsync(["--import", file], cancellationToken);
        }
    }

    /// <summary>The key ID that signed commit <paramref name="hash"/>.</summary>
    public async Task<string> VerifyCommitAsync(string hash, CancellationToken cancellationToken)
    {
        var raw = await git.RunAsync(gitDir, ["cat-file", "commit", hash], cancellationToken);
        var (payload, signature) = SplitCommit(raw);
        return await VerifyAsync(payload, signature, "commit", cancellationToken);
    }

    /// <summary>The key ID that signed the annotated tag object <paramref name="tagObject"/>.</summary>
    public async Task<string> VerifyTagAsync(string tagObject, CancellationToken cancellationToken)
    {
        var raw = await git.RunAsync(gitDir, ["cat-file", "tag", tagObject], cancellationToken);
        var start = raw.IndexOf("-----BEGIN PGP SIGNATURE-----", StringComparison.Ordinal);
        return start < 0
            ? throw new SignatureException("unable to verify Git tag: unable to verify payload as the provided signature is empty")
            : await VerifyAsync(raw[..start], raw[start..], "tag", cancellationToken);
    }

    public void Dispose() => _home.Delete(recursive: true);

    private async Task<string> VerifyAsync(string payload, string? signature, string what, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(signature))
        {
            throw new SignatureException($"unable to verify Git {what}: unable to verify payload as the provided signature is empty");
        }

        var payloadFile = Path.Combine(_home.FullName, "payload");
        var signatureFile = Path.Combine(_home.FullName, "payload.sig");
        await File.WriteAllTextAsync(payloadFile, payload, cancellationToken);
        await File.WriteAllTextAsync(signatureFile, signature, cancellationToken);
        var (_, status) = await GpgAsync(["--status-fd", "1", "--verify", signatureFile, payloadFile], cancellationToken);
        // VALIDSIG <fingerprint> <date> <timestamp> <expiry> <version> <reserved> <algo> <hash> <class> <primary fingerprint>
        var valid = status.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(f => f.Length >= 3 && f[0] == "[GNUPG:]" && f[1] == "VALIDSIG");
        if (valid is null)
        {
            throw new SignatureException($"unable to verify Git {what}: unable to verify payload with any of the given key rings");
        }

        var primary = valid.Length >= 12 ? valid[11] : valid[2];
        return primary[^16..];
    }

    // A commit's signature is its gpgsig header (continuation lines start with a space); the payload is the object without it.
    private static (string Payload, string? Signature) SplitCommit(string raw)
    {
        var lines = raw.Split('\n');
        var payload = new StringBuilder();
        StringBuilder? signature = null;
        var inHeaders = true;
        var inSignature = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (inHeaders && inSignature && line.StartsWith(' '))
            {
                signature!.Append('\n').Append(line[1..]);
                continue;
            }

            inSignature = false;
            if (inHeaders && line.StartsWith("gpgsig ", StringComparison.Ordinal))
            {
                signature = new StringBuilder(line["gpgsig ".Length..]);
                inSignature = true;
                continue;
            }

            if (inHeaders && line.Length == 0)
            {
                inHeaders = false;
            }

            payload.Append(line);
            if (i < lines.Length - 1)
            {
                payload.Append('\n');
            }
        }

        return (payload.ToString(), signature?.Append('\n').ToString());
    }

    private async Task<(int Code, string Output)> GpgAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = GitCommand.StartInfo(Executable, ["--homedir", _home.FullName, "--batch", "--no-tty", "--no-auto-key-retrieve", .. arguments]);

        start.Environment["LC_ALL"] = "C";
        var (code, output, _) = await GitCommand.RunProcessAsync(start, cancellationToken);
        return (code, output);
    }
}
