using System.Globalization;
using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>
/// C2SP tlog-proof v1: "c2sp.org/tlog-proof@v1", optional "extra BASE64", "index N", the
/// inclusion hashes in base64 one per line (leaf sibling first), an empty line, then the signed
/// checkpoint verbatim. Self-contained: anyone with the entry bytes and the log's verifier key
/// can check it offline.
/// </summary>
public sealed class TlogProof
{
    public const string Header = "c2sp.org/tlog-proof@v1";

    public TlogProof(long index, IReadOnlyList<byte[]> inclusionPath, string checkpointNote, ReadOnlyMemory<byte>? extra = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentNullException.ThrowIfNull(inclusionPath);
        ArgumentException.ThrowIfNullOrEmpty(checkpointNote);
        Index = index;
        InclusionPath = inclusionPath;
        CheckpointNote = checkpointNote;
        Extra = extra;
    }

    public long Index { get; }

    public IReadOnlyList<byte[]> InclusionPath { get; }

    public string CheckpointNote { get; }

    /// <summary>Opaque, unauthenticated application data; never trust it.</summary>
    public ReadOnlyMemory<byte>? Extra { get; }

    public string ToText()
    {
        var sb = new StringBuilder(Header).Append('\n');
        if (Extra is { } extra)
        {
            sb.Append("extra ").Append(Convert.ToBase64String(extra.Span)).Append('\n');
        }
        sb.Append("index ").Append(Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var h in InclusionPath)
        {
            sb.Append(Convert.ToBase64String(h)).Append('\n');
        }
        return sb.Append('\n').Append(CheckpointNote).ToString();
    }

    public override string ToString() => ToText();

    /// <summary>Parses proof text; null with a reason when it is not a well-formed tlog-proof.</summary>
    public static TlogProof? TryParse(string? text, out string? error)
    {
        error = "not a c2sp.org/tlog-proof@v1 proof";
        if (text is null)
        {
            return null;
        }
        var pos = 0;
        string? NextLine()
        {
            var nl = text.IndexOf('\n', pos);
            if (nl < 0)
            {
                return null;
            }
            var line = text[pos..nl];
            pos = nl + 1;
            return line;
        }
        if (NextLine() != Header)
        {
            return null;
        }
        var line = NextLine();
        ReadOnlyMemory<byte>? extra = null;
        if (line is not null && line.StartsWith("extra ", StringComparison.Ordinal))
        {
            try
            {
                extra = Convert.FromBase64String(line["extra ".Length..]);
            }
            catch (FormatException)
            {
                error = "tlog-proof extra line is not base64";
                return null;
            }
            line = NextLine();
        }
        if (line is null || !line.StartsWith("index ", StringComparison.Ordinal))
        {
            error = "tlog-proof lacks its index line";
            return null;
        }
        var indexText = line["index ".Length..];
        if (indexText.Length == 0 || indexText.Length > 19 || !indexText.All(char.IsAsciiDigit) || (indexText.Length > 1 && indexText[0] == '0') ||
            !long.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            error = "tlog-proof index is not a canonical decimal";
            return null;
        }
        var path = new List<byte[]>();
        while (true)
        {
            line = NextLine();
            if (line is null)
            {
                error = "tlog-proof has no blank line before its checkpoint";
                return null;
            }
            if (line.Length == 0)
            {
                break;
            }
            byte[] hash;
            try
            {
                hash = Convert.FromBase64String(line);
            }
            catch (FormatException)
            {
                error = "tlog-proof hash line is not base64";
                return null;
            }
            if (hash.Length != MerkleHash.Size)
            {
                error = "tlog-proof hash line is not a SHA-256 hash";
                return null;
            }
            path.Add(hash);
        }
        var note = text[pos..];
        if (note.Length == 0)
        {
            error = "tlog-proof has no checkpoint";
            return null;
        }
        // The spec includes the checkpoint verbatim per c2sp.org/tlog-checkpoint: a signed note whose text is at least
        // origin, tree size and root hash. Checked here, so a proof without its origin line never parses.
        var (noteText, _, noteError) = SignedNote.Split(note);
        if (noteError is not null)
        {
            error = "tlog-proof checkpoint is not a signed note: " + noteError;
            return null;
        }
        if (Checkpoint.TryParse(noteText) is not { } checkpoint)
        {
            error = "tlog-proof checkpoint lacks its origin, tree size or root hash line";
            return null;
        }
        if (index >= checkpoint.Size)
        {
            error = $"tlog-proof index {index} is outside its checkpoint's tree of {checkpoint.Size}";
            return null;
        }
        error = null;
        return new TlogProof(index, path, note, extra);
    }

    /// <summary>
    /// Verifies the proof for an entry whose leaf hash is <paramref name="leafHash"/>: the checkpoint
    /// must be signed by <paramref name="log"/> with the expected origin (when given) and the path
    /// must lead from the leaf to its root. Returns false with a reason otherwise. The spec verifies a proof against
    /// the log's origin as well as its key: pass the origin whenever it is known; null trusts the pinned key alone
    /// to name the log (kept for verifiers that have only the key).
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> leafHash, NoteVerifier log, string? expectedOrigin, out string? error)
    {
        var checkpoint = SignedCheckpoint.TryOpen(CheckpointNote, log, null, out error);
        if (checkpoint is null)
        {
            return false;
        }
        if (expectedOrigin is not null && checkpoint.Checkpoint.Origin != expectedOrigin)
        {
            error = $"checkpoint origin is '{checkpoint.Checkpoint.Origin}', expected '{expectedOrigin}'";
            return false;
        }
        if (!MerkleProofs.VerifyInclusion(Index, checkpoint.Size, leafHash, InclusionPath, checkpoint.Checkpoint.Root))
        {
            error = $"inclusion proof for index {Index} does not lead to the checkpoint root at size {checkpoint.Size}";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Verifies the proof for the canonical entry bytes (hashed as an RFC 6962 leaf).</summary>
    public bool VerifyEntry(ReadOnlySpan<byte> entryBytes, NoteVerifier log, string? expectedOrigin, out string? error) =>
        Verify(MerkleHash.Leaf(entryBytes), log, expectedOrigin, out error);
}
