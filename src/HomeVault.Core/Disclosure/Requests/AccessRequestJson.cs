using System.Globalization;
using System.Text;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// The canonical JSON form of an <see cref="AccessRequest"/>, whose SHA-256 is the request digest that
/// owners sign. The rule, exactly:
/// <list type="number">
/// <item>UTF-8, no byte order mark, no whitespace outside strings, no trailing newline.</item>
/// <item>Object members sorted by key (ordinal; every key is ASCII); optional members that are absent
/// are omitted, never written as null.</item>
/// <item>All values are strings or arrays of strings. Strings are written as in RFC 8785 (JCS):
/// '"' and '\' escaped with a backslash, U+0008/09/0A/0C/0D as \b \t \n \f \r, other characters
/// below U+0020 as \u00xx (lower-case hex), everything else literally.</item>
/// <item>Instants are UTC RFC 3339 "yyyy-MM-ddTHH:mm:ssZ" (".fff" only when milliseconds are non-zero),
/// dates "yyyy-MM-dd", the recipient in lower-case Bech32, legal basis type in its kebab-case name,
/// scope.cameras sorted ordinally and distinct.</item>
/// </list>
/// Because every value is a string, this output is also the RFC 8785 canonicalisation of itself.
/// </summary>
public static class AccessRequestJson
{
    public static byte[] Serialize(AccessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder(512);
        var lb = request.LegalBasis;
        sb.Append('{');
        Key(sb, "legalBasis", first: true).Append('{');
        var firstLb = true;
        if (lb.ExpiresOn is { } exp)
        {
            Member(sb, "expiresOn", WireTime.Format(exp), ref firstLb);
        }
        if (lb.IssuedBy is not null)
        {
            Member(sb, "issuedBy", lb.IssuedBy, ref firstLb);
        }
        if (lb.IssuedOn is { } iss)
        {
            Member(sb, "issuedOn", WireTime.Format(iss), ref firstLb);
        }
        if (lb.Reference is not null)
        {
            Member(sb, "reference", lb.Reference, ref firstLb);
        }
        Member(sb, "type", lb.Type.ToWireName(), ref firstLb);
        sb.Append('}');
        var first = false;
        Member(sb, "purpose", request.Purpose, ref first);
        Key(sb, "requester", first: false).Append('{');
        var firstRq = true;
        Member(sb, "contact", request.Requester.Contact, ref firstRq);
        Member(sb, "organization", request.Requester.Organization, ref firstRq);
        Member(sb, "recipient", request.Requester.Recipient, ref firstRq);
        sb.Append('}');
        Key(sb, "scope", first: false).Append('{');
        Key(sb, "cameras", first: true).Append('[');
        var cameras = request.Scope.Cameras.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < cameras.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            String(sb, cameras[i]);
        }
        sb.Append(']');
        var firstSc = false;
        Member(sb, "from", WireTime.Format(request.Scope.From), ref firstSc);
        Member(sb, "to", WireTime.Format(request.Scope.To), ref firstSc);
        sb.Append("}}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static string Digest(AccessRequest request) => CanonicalJson.Sha256Hex(Serialize(request));

    private static StringBuilder Key(StringBuilder sb, string key, bool first)
    {
        if (!first)
        {
            sb.Append(',');
        }
        String(sb, key);
        return sb.Append(':');
    }

    private static void Member(StringBuilder sb, string key, string value, ref bool first)
    {
        Key(sb, key, first);
        first = false;
        String(sb, value);
    }

    private static void String(StringBuilder sb, string value) => CanonicalJson.String(sb, value);
}
