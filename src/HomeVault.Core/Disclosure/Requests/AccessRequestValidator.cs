using System.Text;
using System.Text.Json;
using HomeVault.Core.Json;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// Strict reader of request JSON: unknown or duplicate properties, wrong types, missing fields, unknown or
/// duplicate cameras, bad windows, stale or premature legal documents, bad recipients, over-long text and
/// control characters are all refused, each with one line naming the field. "Today" is the UTC date of the
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class AccessRequestValidator
{
    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    private readonly HashSet<string> _cameras;
    private readonly TimeProvider _time;

    public AccessRequestValidator(IEnumerable<string> knownCameras, TimeProvider? timeProvider = null, AccessRequestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(knownCameras);
        _cameras = new HashSet<string>(knownCameras, StringComparer.Ordinal);
        _time = timeProvider ?? TimeProvider.System;
        Limits = limits ?? AccessRequestLimits.Default;
    }

    public AccessRequestLimits Limits { get; }

    /// <exception cref="AccessRequestException">The request is invalid; its <see cref="AccessRequestException.Problems"/> list every problem.</exception>
    public AccessRequest Parse(ReadOnlySpan<byte> utf8Json) => Validate(utf8Json).GetRequestOrThrow();

    public RequestValidation Validate(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > Limits.MaxJsonBytes)
        {
            return Fail($"request: {utf8Json.Length} bytes is larger than the limit of {Limits.MaxJsonBytes} bytes");
        }
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return Fail("request: not valid UTF-8");
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json.ToArray(), JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return Fail($"request: not valid JSON{where}");
        }
        using (doc)
        {
            var problems = new List<string>();
            var request = Read(doc.RootElement, problems);
            return new RequestValidation(problems.Count == 0 ? request : null, problems);
        }
    }

    private static RequestValidation Fail(string problem) => new(null, [problem]);

    private AccessRequest? Read(JsonElement root, List<string> problems)
    {
        var reader = new JsonFields(problems);
        var top = reader.Object(root, "request", ["requester", "legalBasis", "scope", "purpose"], ["requester", "legalBasis", "scope", "purpose"]);
        if (top is null)
        {
            return null;
        }
        var requester = ReadRequester(reader, top.GetValueOrDefault("requester"));
        var legal = ReadLegalBasis(reader, top.GetValueOrDefault("legalBasis"), problems);
        var scope = ReadScope(reader, top.GetValueOrDefault("scope"), problems);
        var purpose = reader.Text(top.GetValueOrDefault("purpose"), "purpose", Limits.MaxPurposeLength, required: true);
        return requester is null || legal is null || scope is null || purpose is null
            ? null
            : new AccessRequest(requester, legal, scope, purpose);
    }

    private Requester? ReadRequester(JsonFields reader, JsonElement element)
    {
        string[] fields = ["organization", "contact", "recipient"];
        var obj = reader.Object(element, "requester", fields, fields);
        if (obj is null)
        {
            return null;
        }
        var organization = reader.Text(obj.GetValueOrDefault("organization"), "requester.organization", Limits.MaxOrganizationLength, required: true);
        var contact = reader.Text(obj.GetValueOrDefault("contact"), "requester.contact", Limits.MaxContactLength, required: true);
        var recipientText = reader.Text(obj.GetValueOrDefault("recipient"), "requester.recipient", 200, required: true);
        string? recipient = null;
        if (recipientText is not null)
        {
            if (X25519Recipient.TryParse(recipientText, out var parsed))
            {
                recipient = parsed!.ToString();
            }
            else
            {
                reader.Problem("requester.recipient", $"{JsonFields.Quote(recipientText)} is not a valid age X25519 recipient (age1...)");
            }
        }
        return organization is null || contact is null || recipient is null ? null : new Requester(organization, contact, recipient);
    }

    private LegalBasis? ReadLegalBasis(JsonFields reader, JsonElement element, List<string> problems)
    {
        var before = problems.Count;
        var obj = reader.Object(element, "legalBasis", ["type", "reference", "issuedBy", "issuedOn", "expiresOn"], ["type"]);
        if (obj is null)
        {
            return null;
        }
        var typeText = reader.Text(obj.GetValueOrDefault("type"), "legalBasis.type", 64, required: true);
        LegalBasisType type = default;
        var typeKnown = typeText is not null && LegalBasisTypes.TryParse(typeText, out type);
        if (typeText is not null && !typeKnown)
        {
            reader.Problem("legalBasis.type", $"unknown type {JsonFields.Quote(typeText)} (expected one of: {string.Join(", ", LegalBasisTypes.Names)})");
        }
        var reference = reader.Text(obj.GetValueOrDefault("reference"), "legalBasis.reference", Limits.MaxReferenceLength, required: false);
        var issuedBy = reader.Text(obj.GetValueOrDefault("issuedBy"), "legalBasis.issuedBy", Limits.MaxIssuedByLength, required: false);
        if (typeKnown && type.RequiresReference())
        {
            if (reference is null && obj.ContainsKey("reference") is false)
            {
                reader.Problem("legalBasis.reference", $"required for a {type.ToWireName()}");
            }
            if (issuedBy is null && obj.ContainsKey("issuedBy") is false)
            {
                reader.Problem("legalBasis.issuedBy", $"required for a {type.ToWireName()}");
            }
        }
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var issuedOn = reader.Date(obj.GetValueOrDefault("issuedOn"), "legalBasis.issuedOn");
        var expiresOn = reader.Date(obj.GetValueOrDefault("expiresOn"), "legalBasis.expiresOn");
        if (issuedOn is { } issued && issued > today)
        {
            reader.Problem("legalBasis.issuedOn", $"{WireTime.Format(issued)} is in the future (today is {WireTime.Format(today)} UTC)");
        }
        if (expiresOn is { } expires && expires < today)
        {
            reader.Problem("legalBasis.expiresOn", $"expired on {WireTime.Format(expires)} (today is {WireTime.Format(today)} UTC)");
        }
        if (issuedOn is { } i && expiresOn is { } e && e < i)
        {
            reader.Problem("legalBasis.expiresOn", $"{WireTime.Format(e)} is before issuedOn {WireTime.Format(i)}");
        }
        return problems.Count != before ? null : new LegalBasis(type, reference, issuedBy, issuedOn, expiresOn);
    }

    private RequestScope? ReadScope(JsonFields reader, JsonElement element, List<string> problems)
    {
        var before = problems.Count;
        string[] fields = ["cameras", "from", "to"];
        var obj = reader.Object(element, "scope", fields, fields);
        if (obj is null)
        {
            return null;
        }
        var cameras = ReadCameras(reader, obj.GetValueOrDefault("cameras"));
        var from = reader.Instant(obj.GetValueOrDefault("from"), "scope.from");
        var to = reader.Instant(obj.GetValueOrDefault("to"), "scope.to");
        if (from is { } f && to is { } t)
        {
            var now = _time.GetUtcNow();
            if (t <= f)
            {
                reader.Problem("scope.to", $"{WireTime.Format(t)} is not after scope.from {WireTime.Format(f)}");
            }
            else if (t - f > Limits.MaxWindow)
            {
                reader.Problem("scope.to", $"the window of {Describe(t - f)} is longer than the maximum of {Describe(Limits.MaxWindow)}");
            }
            // HomeVault answers requests about recorded footage; a window reaching past now would be prospective surveillance.
            if (t > now)
            {
                reader.Problem("scope.to", $"{WireTime.Format(t)} is in the future (now is {WireTime.Format(now)})");
            }
        }
        return problems.Count != before || cameras is null ? null : new RequestScope(cameras, from!.Value, to!.Value);
    }

    private List<string>? ReadCameras(JsonFields reader, JsonElement element)
    {
        if (!reader.Is(element, "scope.cameras", JsonValueKind.Array))
        {
            return null;
        }
        var count = element.GetArrayLength();
        if (count == 0)
        {
            reader.Problem("scope.cameras", "must name at least one camera");
            return null;
        }
        if (count > Limits.MaxCameras)
        {
            reader.Problem("scope.cameras", $"{count} cameras is more than the limit of {Limits.MaxCameras}");
            return null;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var path = $"scope.cameras[{index++}]";
            var name = reader.Text(item, path, 64, required: true);
            if (name is null)
            {
                ok = false;
            }
            else if (!seen.Add(name))
            {
                reader.Problem(path, $"duplicate camera {JsonFields.Quote(name)}");
                ok = false;
            }
            else if (!_cameras.Contains(name))
            {
                reader.Problem(path, $"unknown camera {JsonFields.Quote(name)}");
                ok = false;
            }
        }
        return ok ? seen.Order(StringComparer.Ordinal).ToList() : null;
    }

    internal static string Describe(TimeSpan span)
    {
        var sb = new StringBuilder();
        if (span.Days > 0)
        {
            sb.Append(span.Days).Append(span.Days == 1 ? " day" : " days");
        }
        var rest = span - TimeSpan.FromDays(span.Days);
        if (rest > TimeSpan.Zero || sb.Length == 0)
        {
            sb.Append(sb.Length > 0 ? " " : "").Append(rest.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
