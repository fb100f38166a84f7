using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// Request ids are 'req_' + 26 lower-case RFC 4648 base32 characters of 128 random bits: unguessable
/// (they appear in requester-facing URLs), URL-safe, and fixed-length so the schema can check them.
/// </summary>
public static partial class RequestId
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    [GeneratedRegex("^req_[a-z2-7]{26}\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    public static string New()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[30];
        "req_".AsSpan().CopyTo(chars);
        // 128 bits in 26 five-bit groups; the last group carries the final 3 bits padded with zeros.
        int buffer = 0, bits = 0, o = 4;
        foreach (var b in random)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[o++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        chars[o] = Alphabet[(buffer << (5 - bits)) & 31];
        return new string(chars);
    }

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <exception cref="AccessRequestException">The id is malformed.</exception>
    public static void ThrowIfInvalid(string? id)
    {
        if (!IsValid(id))
        {
            throw new AccessRequestException($"request id: '{id}' is not a request id (req_ and 26 base32 characters)");
        }
    }
}
