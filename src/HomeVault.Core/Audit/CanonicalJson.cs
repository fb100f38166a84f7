using System.Globalization;
using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>
/// The one byte encoding of an audit entry; the leaf hash is taken over exactly these bytes.
///
/// Rule (RFC 8785 JCS restricted to the entry schema): a single JSON object, UTF-8, no BOM, no
/// whitespace anywhere outside strings, members sorted by key in ordinal UTF-16 code-unit order at
/// every level. Entry members are `action`, `actor`, `details`, `subject` (strings; `details` an
/// object whose values are all strings) and `time` (integer Unix milliseconds UTC, plain decimal,
/// '-' only when negative, no leading zeros). Strings escape only `"` as \", `\` as \\, and
/// U+0000..U+001F as \b \t \n \f \r or else \u00xx with lowercase hex; every other character,
/// including non-ASCII, is written as its UTF-8 bytes. Unpaired surrogates are rejected.
/// </summary>
internal static class CanonicalJson
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] EncodeEntry(long timeMs, AuditEvent e)
    {
        var sb = new StringBuilder(128 + e.Subject.Length);
        sb.Append("{\"action\":");
        AppendString(sb, e.Action);
        sb.Append(",\"actor\":");
        AppendString(sb, e.Actor);
        sb.Append(",\"details\":{");
        var first = true;
        foreach (var (key, value) in e.Details)
        {
            if (!first)
            {
                sb.Append(',');
            }
            first = false;
            AppendString(sb, key);
            sb.Append(':');
            AppendString(sb, value);
        }
        sb.Append("},\"subject\":");
        AppendString(sb, e.Subject);
        sb.Append(",\"time\":");
        sb.Append(timeMs.ToString(CultureInfo.InvariantCulture));
        sb.Append('}');
        return StrictUtf8.GetBytes(sb.ToString());
    }

    private static void AppendString(StringBuilder sb, string s) => Json.JcsString.Append(sb, s);

    /// <summary>True when the string has no unpaired surrogate, so it has a UTF-8 encoding.</summary>
    public static bool IsEncodable(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }
                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }
        return true;
    }
}
