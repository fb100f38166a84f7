namespace HomeVault.Recording.Rtsp;

/// <summary>Reads bits and Exp-Golomb codes from a NAL unit's payload, emulation prevention bytes removed first.</summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _rbsp;
    private int _bit;

    public BitReader(ReadOnlySpan<byte> rbsp)
    {
        _rbsp = rbsp;
        _bit = 0;
    }

    /// <summary>The payload without the 0x03 that follows every 0x00 0x00 (H.264 7.4.1, H.265 7.4.2).</summary>
    public static byte[] ToRbsp(ReadOnlySpan<byte> nal)
    {
        var output = new List<byte>(nal.Length);
        var zeros = 0;
        foreach (var b in nal)
        {
            if (zeros >= 2 && b == 3)
            {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            output.Add(b);
        }
        return [.. output];
    }

    public uint Bits(int count)
    {
        uint value = 0;
        for (var i = 0; i < count; i++)
        {
            var index = _bit >> 3;
            if (index >= _rbsp.Length)
            {
                throw new InvalidDataException("parameter set truncated");
            }
            value = (value << 1) | (uint)((_rbsp[index] >> (7 - (_bit & 7))) & 1);
            _bit++;
        }
        return value;
    }

    public bool Flag() => Bits(1) == 1;

    public void Skip(int count)
    {
        for (; count > 0; count -= Math.Min(count, 32))
        {
            Bits(Math.Min(count, 32));
        }
    }

    public uint Ue()
    {
        var zeros = 0;
        while (!Flag())
        {
            if (++zeros > 31)
            {
                throw new InvalidDataException("Exp-Golomb code too long");
            }
        }
        return zeros == 0 ? 0 : (uint)((1L << zeros) - 1 + Bits(zeros));
    }

    public int Se()
    {
        var k = Ue();
        return (k & 1) == 1 ? (int)((k + 1) / 2) : -(int)(k / 2);
    }
}
