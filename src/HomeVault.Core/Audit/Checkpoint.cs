using System.Globalization;
using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>
/// The body of a C2SP tlog-checkpoint: origin line, decimal tree size, base64 root hash, then
/// optional non-empty extension lines, each ending in a newline. It is the text of a signed note.
/// </summary>
public sealed class Checkpoint
{
    public Checkpoint(string origin, long size, ReadOnlySpan<byte> rootHash, IReadOnlyList<string>? extensions = null)
    {
        if (string.IsNullOrEmpty(origin) || origin.Contains('\n', StringComparison.Ordinal) || origin.Any(char.IsControl))
        {
            throw new ArgumentException("checkpoint origin must be one non-empty line", nameof(origin));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (rootHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("checkpoint root must be a 32-byte SHA-256 hash", nameof(rootHash));
        }
        extensions ??= [];
        if (extensions.Any(e => string.IsNullOrEmpty(e) || e.Any(char.IsControl)))
        {
            throw new ArgumentException("checkpoint extension lines must be non-empty single lines", nameof(extensions));
        }
        Origin = origin;
        Size = size;
        Root = rootHash.ToArray();
        Extensions = extensions.ToArray();
    }

    public string Origin { get; }

    public long Size { get; }

    public ReadOnlyMemory<byte> RootHash => Root;

    public IReadOnlyList<string> Extensions { get; }

    internal byte[] Root { get; }

    /// <summary>The note text this checkpoint signs.</summary>
    public string ToText()
    {
        var sb = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(Root)).Append('\n');
        foreach (var e in Extensions)
        {
            sb.Append(e).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Parses checkpoint text (the note text, not the signatures); null when malformed.</summary>
    public static Checkpoint? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text[^1] != '\n')
        {
            return null;
        }
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3 || lines.Any(l => l.Length == 0))
        {
            return null;
        }
        var sizeText = lines[1];
        if (sizeText.Length > 19 || !sizeText.All(char.IsAsciiDigit) || (sizeText.Length > 1 && sizeText[0] == '0') ||
            !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (root.Length != MerkleHash.Size || Convert.ToBase64String(root) != lines[2])
        {
            return null;
        }
        try
        {
            return new Checkpoint(lines[0], size, root, lines[3..]);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
