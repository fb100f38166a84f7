using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Recording.Configuration;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// Answers a camera's 401 challenge: Digest (RFC 2617 / RFC 7616 with MD5, qop=auth or none) when offered,
/// else Basic. The password stays in this object; no header value is logged.
/// </summary>
internal sealed class RtspAuthenticator(CameraCredentials credentials)
{
    private string? _realm;
    private string? _nonce;
    private string? _opaque;
    private bool _qopAuth;
    private bool _digest;
    private bool _basic;
    private int _nonceCount;

    public bool HasChallenge => _digest || _basic;

    /// <summary>Takes the WWW-Authenticate headers of a 401; false when none is a scheme this client speaks.</summary>
    public bool Challenge(IEnumerable<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var list = headers.ToList();
        var digest = list.FirstOrDefault(h => h.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase));
        if (digest is not null)
        {
            var p = Parameters(digest[7..]);
            if (p.TryGetValue("algorithm", out var alg) && !alg.Equals("MD5", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            _realm = p.GetValueOrDefault("realm", "");
            _nonce = p.GetValueOrDefault("nonce", "");
            _opaque = p.GetValueOrDefault("opaque");
            _qopAuth = p.TryGetValue("qop", out var qop) && qop.Split(',').Any(q => q.Trim() == "auth");
            _nonceCount = 0;
            _digest = true;
            return true;
        }
        _basic = list.Any(h => h.StartsWith("Basic", StringComparison.OrdinalIgnoreCase));
        return _basic;
    }

    /// <summary>The Authorization header value for <paramref name="method"/> on <paramref name="uri"/>, or null before a challenge.</summary>
    public string? Authorization(string method, string uri)
    {
        if (_digest)
        {
            var ha1 = Md5Hex($"{credentials.User}:{_realm}:{credentials.Password}");
            var ha2 = Md5Hex($"{method}:{uri}");
            var header = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"Digest username=\"{credentials.User}\", realm=\"{_realm}\", nonce=\"{_nonce}\", uri=\"{uri}\"");
            string response;
            if (_qopAuth)
            {
                var nc = (++_nonceCount).ToString("x8", CultureInfo.InvariantCulture);
                var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
                response = Md5Hex($"{ha1}:{_nonce}:{nc}:{cnonce}:auth:{ha2}");
                header.Append(CultureInfo.InvariantCulture, $", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
            }
            else
            {
                response = Md5Hex($"{ha1}:{_nonce}:{ha2}");
            }
            header.Append(CultureInfo.InvariantCulture, $", response=\"{response}\", algorithm=MD5");
            if (_opaque is not null)
            {
                header.Append(CultureInfo.InvariantCulture, $", opaque=\"{_opaque}\"");
            }
            return header.ToString();
        }
        return _basic ? "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}")) : null;
    }

    private static string Md5Hex(string text) =>
#pragma warning disable CA5351 // RTSP Digest is defined over MD5; the camera decides, not us
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5351

    /// <summary>key=value and key="value" pairs, comma-separated, quotes may hold commas.</summary>
    internal static Dictionary<string, string> Parameters(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }
            var key = text[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                close = close < 0 ? text.Length : close;
                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', i);
                comma = comma < 0 ? text.Length : comma;
                value = text[i..comma].Trim();
                i = comma;
            }
            result[key] = value;
        }
        return result;
    }
}
