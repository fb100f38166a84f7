using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Disclosure.Requesters;

/// <summary>
/// Requester bearer tokens: `hvr_` and 43 base64url characters (32 random bytes). Only the SHA-256 of a token is
/// stored; a token is shown once, when it is issued.
/// </summary>
public static class RequesterToken
{
    public const string Prefix = "hvr_";

    /// <summary>Tokens longer than this are refused before hashing (a header cannot make us hash megabytes).</summary>
    public const int MaxLength = 128;

    public static string New()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Prefix + Convert.ToBase64String(random).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }
}
