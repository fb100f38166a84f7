using System.Text;
using System.Text.Json;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// manifest.json of a release: what was asked (the request's canonical JSON and digest), what the owners signed
/// (the approval statement's hash, its signers and the quorum), to whom (recipient), the approved scope, when the
/// release expires, the owners' and the audit log's public keys, and every clip with its hashes. The completing
/// owner signs these exact bytes with minisign; <see cref="Parse"/> reads them back strictly.
/// </summary>
public sealed record ReleaseManifest(
    string RequestId,
    string RequestDigest,
    string RequestJson,
    string StatementSha256,
    IReadOnlyList<string> Signers,
    int Quorum,
    string Recipient,
    IReadOnlyList<string> Cameras,
    DateTimeOffset From,
    DateTimeOffset To,
    bool StripAudio,
    DateTimeOffset Expires,
    DateTimeOffset Built,
    string SignedBy,
    IReadOnlyList<ManifestOwner> Owners,
    string AuditLogKey,
    string ReadmeSha256,
    IReadOnlyList<ManifestClip> Clips)
{
    public const string Format = "homevault-release-v1";

    /// <summary>The signed bytes: indented UTF-8 JSON, escaping only what JSON requires (no HTML-safe \u escapes, so people can read it).</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteStartObject("request");
            w.WriteString("id", RequestId);
            w.WriteString("digest", RequestDigest);
            w.WriteString("canonicalJson", RequestJson);
            w.WriteEndObject();
            w.WriteStartObject("approval");
            w.WriteString("statement", ReleaseFiles.Approval);
            w.WriteString("sha256", StatementSha256);
            w.WriteNumber("quorum", Quorum);
            Strings(w, "signers", Signers);
            w.WriteEndObject();
            w.WriteString("recipient", Recipient);
            w.WriteStartObject("scope");
            Strings(w, "cameras", Cameras);
            w.WriteString("from", WireTime.Format(From));
            w.WriteString("to", WireTime.Format(To));
            w.WriteBoolean("stripAudio", StripAudio);
            w.WriteEndObject();
            w.WriteString("expires", WireTime.Format(Expires));
            w.WriteString("built", WireTime.Format(Built));
            w.WriteString("signedBy", SignedBy);
            w.WriteStartArray("owners");
            foreach (var o in Owners)
            {
                w.WriteStartObject();
                w.WriteString("name", o.Name);
                w.WriteString("minisignPublicKey", o.MinisignPublicKey);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("auditLogKey", AuditLogKey);
            w.WriteString("readmeSha256", ReadmeSha256);
            w.WriteStartArray("clips");
            foreach (var c in Clips)
            {
                w.WriteStartObject();
                w.WriteString("path", c.Path);
                w.WriteString("camera", c.Camera);
                w.WriteString("start", WireTime.Format(c.Start));
                w.WriteString("end", WireTime.Format(c.End));
                w.WriteString("plaintextSha256", c.PlaintextSha256);
                w.WriteString("sha256", c.Sha256);
                w.WriteNumber("bytes", c.Bytes);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads manifest bytes; anything missing, mistyped or malformed is one line naming the field.</summary>
    /// <exception cref="ReleaseException">Not a well-formed release manifest.</exception>
    public static ReleaseManifest Parse(ReadOnlySpan<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            doc = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ReleaseException($"{ReleaseFiles.Manifest}: not valid JSON ({ex.Message})", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (Str(root, "format") != Format)
            {
                throw Bad("format", $"is not '{Format}'");
            }
            var request = Obj(root, "request");
            var approval = Obj(root, "approval");
            var scope = Obj(root, "scope");
            var quorum = approval.TryGetProperty("quorum", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt32(out var k) && k is >= 1 and <= 64
                ? k : throw Bad("approval.quorum", "is not a whole number from 1 to 64");
            var strip = scope.TryGetProperty("stripAudio", out var s) && s.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? s.GetBoolean() : throw Bad("scope.stripAudio", "is not true or false");
            var owners = Arr(root, "owners").Select((o, i) => new ManifestOwner(Str(o, "name", $"owners[{i}]"), Str(o, "minisignPublicKey", $"owners[{i}]"))).ToList();
            var clips = Arr(root, "clips").Select((c, i) =>
            {
                var where = $"clips[{i}]";
                var bytes = c.TryGetProperty("bytes", out var b) && b.ValueKind == JsonValueKind.Number && b.TryGetInt64(out var n) && n >= 0
                    ? n : throw Bad($"{where}.bytes", "is not a size");
                return new ManifestClip(Str(c, "path", where), Str(c, "camera", where), Time(c, "start", where), Time(c, "end", where),
                    Hex(c, "plaintextSha256", where), Hex(c, "sha256", where), bytes);
            }).ToList();
            return new ReleaseManifest(
                Str(request, "id", "request"), Hex(request, "digest", "request"), Str(request, "canonicalJson", "request"),
                Hex(approval, "sha256", "approval"), Arr(approval, "signers").Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad($"approval.signers[{i}]", "is not a string")).ToList(),
                quorum, Str(root, "recipient"),
                Arr(scope, "cameras").Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad($"scope.cameras[{i}]", "is not a string")).ToList(),
                Time(scope, "from", "scope"), Time(scope, "to", "scope"), strip, Time(root, "expires"), Time(root, "built"),
                Str(root, "signedBy"), owners, Str(root, "auditLogKey"), Hex(root, "readmeSha256"), clips);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }

    private static ReleaseException Bad(string field, string problem) => new($"{ReleaseFiles.Manifest}: {field} {problem}");

    private static string Name(string? parent, string field) => parent is null ? field : $"{parent}.{field}";

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : throw Bad(name, "is missing or not an object");

    private static JsonElement.ArrayEnumerator Arr(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw Bad(name, "is missing or not an array");

    private static string Str(JsonElement e, string name, string? parent = null) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Bad(Name(parent, name), "is missing or not a string");

    private static string Hex(JsonElement e, string name, string? parent = null)
    {
        var s = Str(e, name, parent);
        return s.Length == 64 && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')) ? s : throw Bad(Name(parent, name), "is not a lower-case SHA-256");
    }

    private static DateTimeOffset Time(JsonElement e, string name, string? parent = null) =>
        WireTime.TryParseInstant(Str(e, name, parent), out var t, out _) ? t : throw Bad(Name(parent, name), "is not a UTC time");

    /// <summary>SHA-256 of bytes, lower-case hex.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => CanonicalJson.Sha256Hex(bytes);

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}
