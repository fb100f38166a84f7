namespace HomeVault.Core.Vault;

/// <summary>
/// Canonical unpadded standard base64, as age header fields require. The BCL decoder skips
/// whitespace and accepts non-zero trailing bits; age must reject both to avoid malleability.
/// </summary>
internal static class Base64Raw
{
    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data).TrimEnd('=');

    public static bool TryDecode(ReadOnlySpan<char> s, out byte[] result)
    {
        result = [];
        if (s.Length % 4 == 1)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!(c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '+' or '/'))
            {
                return false;
            }
        }
        var padded = new char[(s.Length + 3) / 4 * 4];
        s.CopyTo(padded);
        padded.AsSpan(s.Length).Fill('=');
        var decoded = Convert.FromBase64CharArray(padded, 0, padded.Length);
        // Canonical: the unused low bits of the last character must be zero.
        if (!Encode(decoded).AsSpan().SequenceEqual(s))
        {
            return false;
        }
        result = decoded;
        return true;
    }
}
