using System.Text;

namespace Weir.Core.Yaml;

/// <summary>
/// Refuses a stream holding a document larger than <see cref="YamlOptions.MaxDocumentBytes"/> before anything is
/// parsed: parsing costs many times a document's size, so the limit, not the input, bounds the memory a read takes.
/// Documents are told apart by their <c>---</c> and <c>...</c> marker lines, which end a document wherever they
/// stand at the start of a line.
/// </summary>
internal static class DocumentSizeLimit
{
    public static void Check(string yaml, long maxBytes)
    {
        // UTF-8 needs at most three bytes per UTF-16 unit: a short stream cannot hold a large document.
        if ((long)yaml.Length * 3 <= maxBytes || Encoding.UTF8.GetByteCount(yaml) <= maxBytes)
        {
            return;
        }

        int start = 0, startLine = 1, line = 1;
        for (var i = 0; i < yaml.Length; line++)
        {
            var newline = yaml.IndexOf('\n', i);
            var next = newline < 0 ? yaml.Length : newline + 1;
            if (i > start && IsMarker(yaml.AsSpan(i, next - i)))
            {
                CheckOne(yaml.AsSpan(start, i - start), startLine, maxBytes);
                start = i;
                startLine = line;
            }

            i = next;
        }

        CheckOne(yaml.AsSpan(start), startLine, maxBytes);
    }

    private static bool IsMarker(ReadOnlySpan<char> line) =>
        (line.StartsWith("---") || line.StartsWith("...")) && (line.Length == 3 || line[3] is ' ' or '\t' or '\r' or '\n');

    private static void CheckOne(ReadOnlySpan<char> document, int line, long maxBytes)
    {
        if ((long)document.Length * 3 <= maxBytes)
        {
            return;
        }

        var bytes = Encoding.UTF8.GetByteCount(document);
        if (bytes > maxBytes)
        {
            throw new YamlException($"yaml: line {line}: document of {bytes} bytes exceeds the limit of {maxBytes} bytes", line);
        }
    }
}
