using System.Globalization;
using System.Text;

namespace HomeVault.Core.Replica;

/// <summary>
/// A stretch of the audit log as the replica holds it (sealed to the owners): the canonical entries from index
/// <see cref="First"/> on, exactly as the log stores them, and the signed checkpoint note that covers them, so a restore
/// can check that the entries rebuild a checkpoint the log's key signed. Text: a version line, <c>first N</c>,
/// <c>created MS</c>, <c>entries COUNT</c>, one base64 entry a line, then the note.
/// </summary>
public sealed record AuditSegment(long First, long CreatedMs, IReadOnlyList<byte[]> Entries, string CheckpointNote)
{
    private const string Version = "homevault replica audit segment v1";

    public long Next => First + Entries.Count;

    public byte[] Encode()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Version}\nfirst {First}\ncreated {CreatedMs}\nentries {Entries.Count}\n");
        foreach (var entry in Entries)
        {
            text.Append(Convert.ToBase64String(entry)).Append('\n');
        }
        text.Append(CheckpointNote);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <exception cref="InvalidDataException">Not a segment.</exception>
    public static AuditSegment Decode(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split('\n');
        if (lines.Length < 5 || lines[0] != Version)
        {
            throw new InvalidDataException("not a HomeVault audit segment");
        }
        var first = Number(lines[1], "first");
        var created = Number(lines[2], "created");
        var count = Number(lines[3], "entries");
        if (lines.Length < 5 + count)
        {
            throw new InvalidDataException("audit segment cut short");
        }
        var entries = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            entries.Add(Convert.FromBase64String(lines[4 + i]));
        }
        return new AuditSegment(first, created, entries, string.Join('\n', lines.Skip(4 + (int)count)));
    }

    private static long Number(string line, string name) =>
        line.StartsWith(name + " ", StringComparison.Ordinal) && long.TryParse(line.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new InvalidDataException($"audit segment: line '{name}' missing");
}
