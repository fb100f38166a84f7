using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core;

/// <summary>
/// The one canonical JSON rule for everything HomeVault hashes or signs (audit entries: see
/// <see cref="Audit.AuditEntry.Encode"/>; request digests: see <see cref="Warrants.AccessRequestJson"/>;
/// approval statements). It is RFC 8785 (JCS) restricted to string values (and, in audit entries, one
/// integer): UTF-8, no BOM, no whitespace outside strings, members sorted by key in ordinal order, absent
/// optional members omitted. Strings escape only <c>"</c> as \", <c>\</c> as \\, U+0008/09/0A/0C/0D as
/// \b \t \n \f \r and other characters below U+0020 as \u00xx (lower-case hex); everything else,
/// non-ASCII included, is written as its UTF-8 bytes. Unpaired surrogates have no encoding and are refused.
/// A digest is the lower-case hex SHA-256 of the bytes.
/// </summary>
internal static class CanonicalJson
{
    /// <summary>UTF-8 that refuses (rather than replaces) what has no encoding.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Appends <paramref name="value"/> as a canonical JSON string.</summary>
    public static void String(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\f': sb.Append("\\f"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }

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

    /// <summary>Lower-case hex SHA-256: the digest of canonical bytes.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
