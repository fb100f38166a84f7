namespace HomeVault.Core.Vault;

/// <summary>
/// BIP-173 Bech32 (not Bech32m), as age uses for its keys. Neither NSec nor the BCL has it.
/// Errors carry no input text: the input may be a secret key.
/// </summary>
internal static class Bech32
{
    private const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    private static readonly uint[] Generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

    private static uint Polymod(ReadOnlySpan<byte> values, uint chk)
    {
        foreach (var v in values)
        {
            var top = chk >> 25;
            chk = ((chk & 0x1ffffff) << 5) ^ v;
            for (var i = 0; i < 5; i++)
            {
                if (((top >> i) & 1) != 0)
                {
                    chk ^= Generator[i];
                }
            }
        }
        return chk;
    }

    private static uint HrpPolymod(string hrpLower)
    {
        Span<byte> one = stackalloc byte[1];
        uint chk = 1;
        foreach (var c in hrpLower)
        {
            one[0] = (byte)(c >> 5);
            chk = Polymod(one, chk);
        }
        one[0] = 0;
        chk = Polymod(one, chk);
        foreach (var c in hrpLower)
        {
            one[0] = (byte)(c & 31);
            chk = Polymod(one, chk);
        }
        return chk;
    }

    /// <summary>Encodes 5-bit groups; the result is lowercase unless <paramref name="upper"/>.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data5, bool upper = false)
    {
        var lowerHrp = hrp.ToLowerInvariant();
        var chk = HrpPolymod(lowerHrp);
        chk = Polymod(data5, chk);
        chk = Polymod([0, 0, 0, 0, 0, 0], chk) ^ 1;
        var chars = new char[lowerHrp.Length + 1 + data5.Length + 6];
        lowerHrp.CopyTo(0, chars, 0, lowerHrp.Length);
        var p = lowerHrp.Length;
        chars[p++] = '1';
        foreach (var d in data5)
        {
            chars[p++] = Charset[d];
        }
        for (var i = 0; i < 6; i++)
        {
            chars[p++] = Charset[(int)((chk >> (5 * (5 - i))) & 31)];
        }
        var s = new string(chars);
        Array.Clear(chars);
        return upper ? s.ToUpperInvariant() : s;
    }

    /// <summary>
    /// Decodes and verifies; returns the HRP in the input's case and the 5-bit groups.
    /// <paramref name="maxLength"/> is BIP-173's 90 unless the caller needs longer strings.
    /// </summary>
    public static (string Hrp, byte[] Data5) Decode(string s, int maxLength = 90)
    {
        if (s.Length > maxLength)
        {
            throw Fail("too long");
        }
        bool hasLower = false, hasUpper = false;
        foreach (var c in s)
        {
            if (c < 33 || c > 126)
            {
                throw Fail("invalid character");
            }
            hasLower |= c is >= 'a' and <= 'z';
            hasUpper |= c is >= 'A' and <= 'Z';
        }
        if (hasLower && hasUpper)
        {
            throw Fail("mixed case");
        }
        var pos = s.LastIndexOf('1');
        if (pos < 1)
        {
            throw Fail(pos < 0 ? "no separator" : "empty human-readable part");
        }
        if (pos + 7 > s.Length)
        {
            throw Fail("checksum too short");
        }
        var hrp = s[..pos];
        var lower = s.ToLowerInvariant();
        var data = new byte[s.Length - pos - 1];
        for (var i = 0; i < data.Length; i++)
        {
            var idx = Charset.IndexOf(lower[pos + 1 + i], StringComparison.Ordinal);
            if (idx < 0)
            {
                throw Fail("invalid data character");
            }
            data[i] = (byte)idx;
        }
        var chk = Polymod(data, HrpPolymod(lower[..pos]));
        if (chk != 1)
        {
            Array.Clear(data);
            throw Fail("bad checksum");
        }
        var result = data[..^6];
        Array.Clear(data);
        return (hrp, result);
    }

    /// <summary>Regroups bits (8→5 with padding, or 5→8 strictly as BIP-173 requires).</summary>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        var acc = 0;
        var bits = 0;
        var maxv = (1 << toBits) - 1;
        var result = new List<byte>(data.Length * fromBits / toBits + 1);
        foreach (var value in data)
        {
            if (value >> fromBits != 0)
            {
                throw Fail("invalid data range");
            }
            acc = (acc << fromBits) | value;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxv));
            }
        }
        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (toBits - bits)) & maxv));
            }
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxv) != 0)
        {
            throw Fail("invalid padding");
        }
        var arr = result.ToArray();
        CollectionsMarshalClear(result);
        return arr;
    }

    private static void CollectionsMarshalClear(List<byte> list) =>
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list).Clear();

    private static AgeException Fail(string why) => new(AgeErrorKind.InvalidKey, "invalid Bech32 string: " + why);
}
