using System.Globalization;
using System.Text;

namespace HomeVault.Core.Json;

/// <summary>
/// A JSON string as RFC 8785 (JCS) serialises it: quotes, backslashes and the short escapes
/// \b \t \n \f \r; other control characters as lower-case \u00xx; everything else verbatim.
/// Shared by every canonical encoding HomeVault hashes or signs (audit entries, request digests).
/// </summary>
internal static class JcsString
{
    public static void Append(StringBuilder sb, string value)
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
}
