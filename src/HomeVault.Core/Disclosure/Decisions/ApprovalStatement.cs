using System.Text;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Decisions;

/// <summary>
/// The text an owner signs (minisign, prehashed) to approve a request, narrowed. Canonical: UTF-8, LF line
/// endings, exactly these lines in this order, each "key: value", ending with a newline:
/// <code>
/// homevault-approval-v1
/// request-id: req_…
/// request-digest: &lt;64 hex, SHA-256 of the canonical request JSON&gt;
/// legal-basis: &lt;type&gt;
/// legal-reference: "&lt;reference as a JSON string&gt;" | none
/// document-sha256: &lt;64 hex&gt; | none
/// cameras: &lt;approved cameras, sorted, comma-separated&gt;
/// from: &lt;UTC RFC 3339&gt;
/// to: &lt;UTC RFC 3339&gt;
/// strip-audio: yes | no
/// recipient: age1…
/// release-expires: &lt;UTC RFC 3339&gt;
/// </code>
/// Owners sign byte-identical statements; <see cref="Parse"/> refuses any text that does not re-render to
/// the same bytes, so there is exactly one signed form of each approval.
/// </summary>
public sealed class ApprovalStatement
{
    public const string Header = "homevault-approval-v1";

    /// <summary>Release validity when the approval names none (see <see cref="DefaultExpiry"/>).</summary>
    public static readonly TimeSpan DefaultReleaseValidity = TimeSpan.FromDays(14);

    private static readonly string[] Keys =
    [
        "request-id", "request-digest", "legal-basis", "legal-reference", "document-sha256",
        "cameras", "from", "to", "strip-audio", "recipient", "release-expires",
    ];

    private ApprovalStatement(string requestId, string requestDigest, LegalBasisType legalBasis, string? legalReference,
        string? documentSha256, IReadOnlyList<string> cameras, DateTimeOffset from, DateTimeOffset to, bool stripAudio,
        string recipient, DateTimeOffset releaseExpires)
    {
        RequestId = requestId;
        RequestDigest = requestDigest;
        LegalBasis = legalBasis;
        LegalReference = legalReference;
        DocumentSha256 = documentSha256;
        Cameras = cameras;
        From = from;
        To = to;
        StripAudio = stripAudio;
        Recipient = recipient;
        ReleaseExpires = releaseExpires;
    }

    /// <summary>
    /// The release expiry an approval gets when the owner names none: <see cref="DefaultReleaseValidity"/> from today's
    /// UTC midnight, not from now, so co-signers on one day sign byte-identical statements. The one rule the CLI, the
    /// console's form and the disclosure service all use.
    /// </summary>
    public static DateTimeOffset DefaultExpiry(DateTimeOffset now) => new(now.UtcDateTime.Date + DefaultReleaseValidity, TimeSpan.Zero);

    public string RequestId { get; }
    public string RequestDigest { get; }
    public LegalBasisType LegalBasis { get; }
    public string? LegalReference { get; }
    public string? DocumentSha256 { get; }
    public IReadOnlyList<string> Cameras { get; }
    public DateTimeOffset From { get; }
    public DateTimeOffset To { get; }
    public bool StripAudio { get; }
    public string Recipient { get; }
    public DateTimeOffset ReleaseExpires { get; }

    /// <summary>
    /// The statement for approving <paramref name="request"/> narrowed to the given scope. Refuses (naming the bound)
    /// any scope wider than the request's, an empty or inverted one, and a release expiry not after <paramref name="now"/>.
    /// </summary>
    /// <exception cref="AccessRequestException">The approved scope is not inside the requested one.</exception>
    public static ApprovalStatement Create(StoredRequest request, IEnumerable<string> cameras, DateTimeOffset from, DateTimeOffset to,
        bool stripAudio, DateTimeOffset releaseExpires, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(cameras);
        var statement = new ApprovalStatement(request.Id, request.Digest, request.Request.LegalBasis.Type,
            request.Request.LegalBasis.Reference, request.Document?.Sha256,
            cameras.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            Truncate(from), Truncate(to), stripAudio, request.Request.Requester.Recipient, Truncate(releaseExpires));
        statement.CheckAgainst(request, now);
        return statement;
    }

    /// <summary>Checks that this statement approves <paramref name="request"/> as it is recorded, within its scope.</summary>
    /// <exception cref="AccessRequestException">One line per mismatch or widened bound.</exception>
    public void CheckAgainst(StoredRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        var asked = request.Request;
        if (RequestId != request.Id)
        {
            problems.Add($"approval.request-id: {RequestId} is not this request ({request.Id})");
        }
        if (RequestDigest != request.Digest)
        {
            problems.Add("approval.request-digest: does not match the recorded request (it changed or this is another request)");
        }
        if (LegalBasis != asked.LegalBasis.Type || LegalReference != asked.LegalBasis.Reference)
        {
            problems.Add("approval.legal-reference: legal basis does not match the request");
        }
        if (DocumentSha256 != request.Document?.Sha256)
        {
            problems.Add("approval.document-sha256: does not match the request's document");
        }
        if (Recipient != asked.Requester.Recipient)
        {
            problems.Add("approval.recipient: is not the requester's recipient");
        }
        if (Cameras.Count == 0)
        {
            problems.Add("approval.cameras: must approve at least one camera");
        }
        foreach (var camera in Cameras.Where(c => !asked.Scope.Cameras.Contains(c, StringComparer.Ordinal)))
        {
            problems.Add($"approval.cameras: {JsonFields.Quote(camera)} was not requested (requested: {string.Join(",", asked.Scope.Cameras)})");
        }
        if (From < asked.Scope.From)
        {
            problems.Add($"approval.from: {WireTime.Format(From)} is before the requested from {WireTime.Format(asked.Scope.From)}");
        }
        if (To > asked.Scope.To)
        {
            problems.Add($"approval.to: {WireTime.Format(To)} is after the requested to {WireTime.Format(asked.Scope.To)}");
        }
        if (To <= From)
        {
            problems.Add($"approval.to: {WireTime.Format(To)} is not after approval.from {WireTime.Format(From)}");
        }
        if (ReleaseExpires <= now)
        {
            problems.Add($"approval.release-expires: {WireTime.Format(ReleaseExpires)} is not in the future");
        }
        if (problems.Count > 0)
        {
            throw new AccessRequestException(problems);
        }
    }

    public string ToText()
    {
        var sb = new StringBuilder(512);
        sb.Append(Header).Append('\n');
        foreach (var (key, value) in Keys.Zip(Values()))
        {
            sb.Append(key).Append(": ").Append(value).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The exact bytes owners sign.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToText());

    public string Sha256() => CanonicalJson.Sha256Hex(ToBytes());

    public override string ToString() => ToText();

    /// <summary>Parses a statement; anything but the canonical form is refused.</summary>
    /// <exception cref="AccessRequestException">Not a canonical approval statement.</exception>
    public static ApprovalStatement Parse(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new AccessRequestException("approval statement: not valid UTF-8", ex);
        }
        var lines = text.Split('\n');
        if (lines.Length != Keys.Length + 2 || lines[0] != Header || lines[^1].Length != 0)
        {
            throw new AccessRequestException($"approval statement: expected '{Header}' and {Keys.Length} lines ending in a newline");
        }
        var values = new string[Keys.Length];
        for (var i = 0; i < Keys.Length; i++)
        {
            var prefix = Keys[i] + ": ";
            if (!lines[i + 1].StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new AccessRequestException($"approval statement: line {i + 2} must start with '{prefix}'");
            }
            values[i] = lines[i + 1][prefix.Length..];
        }
        var statement = FromValues(values);
        if (!statement.ToBytes().AsSpan().SequenceEqual(utf8))
        {
            throw new AccessRequestException("approval statement: not in canonical form (re-rendering it gives different bytes)");
        }
        return statement;
    }

    private IEnumerable<string> Values()
    {
        yield return RequestId;
        yield return RequestDigest;
        yield return LegalBasis.ToWireName();
        yield return LegalReference is null ? "none" : Quoted(LegalReference);
        yield return DocumentSha256 ?? "none";
        yield return string.Join(",", Cameras);
        yield return WireTime.Format(From);
        yield return WireTime.Format(To);
        yield return StripAudio ? "yes" : "no";
        yield return Recipient;
        yield return WireTime.Format(ReleaseExpires);
    }

    private static ApprovalStatement FromValues(string[] v)
    {
        if (!Requests.RequestId.IsValid(v[0]))
        {
            throw Bad("request-id", v[0]);
        }
        if (!IsHex64(v[1]))
        {
            throw Bad("request-digest", v[1]);
        }
        if (!LegalBasisTypes.TryParse(v[2], out var type))
        {
            throw Bad("legal-basis", v[2]);
        }
        string? reference = null;
        if (v[3] != "none")
        {
            try
            {
                using var quoted = System.Text.Json.JsonDocument.Parse(v[3]);
                reference = quoted.RootElement.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.String => quoted.RootElement.GetString()!,
                    System.Text.Json.JsonValueKind.Null => throw Bad("legal-reference", v[3]),
                    _ => throw new System.Text.Json.JsonException("not a string"),
                };
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new AccessRequestException("approval statement: legal-reference is not a quoted string", ex);
            }
        }
        if (v[4] != "none" && !IsHex64(v[4]))
        {
            throw Bad("document-sha256", v[4]);
        }
        // Sorted and distinct here so that an unsorted or repeating list fails the canonical re-render check.
        IReadOnlyList<string> cameras = v[5].Length == 0 ? [] : v[5].Split(',').Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var times = new DateTimeOffset[3];
        foreach (var (index, key, slot) in new[] { (6, "from", 0), (7, "to", 1), (10, "release-expires", 2) })
        {
            if (!WireTime.TryParseInstant(v[index], out times[slot], out _))
            {
                throw Bad(key, v[index]);
            }
        }
        if (v[8] is not ("yes" or "no"))
        {
            throw Bad("strip-audio", v[8]);
        }
        return new ApprovalStatement(v[0], v[1], type, reference, v[4] == "none" ? null : v[4], cameras,
            times[0], times[1], v[8] == "yes", v[9], times[2]);
    }

    private static AccessRequestException Bad(string key, string value) =>
        new($"approval statement: {key} {JsonFields.Quote(value)} is not valid");

    private static bool IsHex64(string s) => s.Length == 64 && s.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static string Quoted(string value)
    {
        var sb = new StringBuilder();
        CanonicalJson.String(sb, value);
        return sb.ToString();
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) =>
        DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());
}
