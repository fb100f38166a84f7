using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HomeVault.Core.Audit;

/// <summary>A logged event: its leaf index, the time the log stamped, and its canonical bytes and leaf hash.</summary>
public sealed class AuditEntry
{
    private AuditEntry(long index, long timeMs, AuditEvent e, byte[] bytes, byte[] leafHash)
    {
        Index = index;
        TimeMs = timeMs;
        Event = e;
        CanonicalBytes = bytes;
        LeafHash = leafHash;
    }

    public long Index { get; }

    /// <summary>Unix milliseconds UTC, as encoded in the leaf.</summary>
    public long TimeMs { get; }

    public DateTimeOffset Time => DateTimeOffset.FromUnixTimeMilliseconds(TimeMs);

    public AuditEvent Event { get; }

    public ReadOnlyMemory<byte> CanonicalBytes { get; }

    public ReadOnlyMemory<byte> LeafHash { get; }

    /// <summary>
    /// The canonical bytes of <paramref name="e"/> at <paramref name="timeMs"/>, over which the leaf hash is taken
    /// (<see cref="CanonicalJson"/>'s rule): one object whose members are <c>action</c>, <c>actor</c>, <c>details</c>,
    /// <c>subject</c> (strings; <c>details</c> an object of strings, sorted by key) and <c>time</c> (integer Unix
    /// milliseconds UTC, plain decimal, '-' only when negative, no leading zeros).
    /// </summary>
    public static byte[] Encode(long timeMs, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var sb = new StringBuilder(128 + e.Subject.Length);
        sb.Append("{\"action\":");
        CanonicalJson.String(sb, e.Action);
        sb.Append(",\"actor\":");
        CanonicalJson.String(sb, e.Actor);
        sb.Append(",\"details\":{");
        var first = true;
        foreach (var (key, value) in e.Details)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            CanonicalJson.String(sb, key);
            sb.Append(':');
            CanonicalJson.String(sb, value);
        }
        sb.Append("},\"subject\":");
        CanonicalJson.String(sb, e.Subject);
        sb.Append(",\"time\":");
        sb.Append(timeMs.ToString(CultureInfo.InvariantCulture));
        sb.Append('}');
        return CanonicalJson.StrictUtf8.GetBytes(sb.ToString());
    }

    public static AuditEntry Create(long index, long timeMs, AuditEvent e)
    {
        var bytes = Encode(timeMs, e);
        return new AuditEntry(index, timeMs, e, bytes, MerkleHash.Leaf(bytes));
    }

    /// <summary>
    /// Parses stored bytes. Returns null with <paramref name="error"/> set unless the bytes are a
    /// valid entry in exactly canonical form (re-encoding gives the same bytes).
    /// </summary>
    public static AuditEntry? TryDecode(long index, ReadOnlySpan<byte> bytes, out string? error)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "entry is not a JSON object";
                return null;
            }
            string? action = null, actor = null, subject = null;
            long? time = null;
            List<KeyValuePair<string, string>>? details = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "action" when p.Value.ValueKind == JsonValueKind.String: action = p.Value.GetString(); break;
                    case "actor" when p.Value.ValueKind == JsonValueKind.String: actor = p.Value.GetString(); break;
                    case "subject" when p.Value.ValueKind == JsonValueKind.String: subject = p.Value.GetString(); break;
                    case "time" when p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var t): time = t; break;
                    case "details" when p.Value.ValueKind == JsonValueKind.Object:
                        details = [];
                        foreach (var d in p.Value.EnumerateObject())
                        {
                            if (d.Value.ValueKind != JsonValueKind.String)
                            {
                                error = $"details value '{d.Name}' is not a string";
                                return null;
                            }
                            details.Add(new(d.Name, d.Value.GetString()!));
                        }
                        break;
                    default:
                        error = $"unexpected member '{p.Name}'";
                        return null;
                }
            }
            if (action is null || actor is null || subject is null || time is null || details is null)
            {
                error = "entry lacks one of action, actor, details, subject, time";
                return null;
            }
            var e = new AuditEvent(actor, action, subject, details);
            var canonical = Encode(time.Value, e);
            if (!bytes.SequenceEqual(canonical))
            {
                error = "entry bytes are not in canonical form";
                return null;
            }
            error = null;
            return new AuditEntry(index, time.Value, e, canonical, MerkleHash.Leaf(canonical));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            error = "entry does not parse: " + ex.Message;
            return null;
        }
    }
}
