using System.Buffers.Binary;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// Puts RTP datagrams that arrive slightly out of order (UDP on a busy network) back in sequence: a packet up to
/// <see cref="Window"/> ahead of the next expected one is held, as a copy, until the ones before it arrive. One
/// further ahead, or a quiet stream while packets are held, means the missing one is lost: what comes then goes
/// on as it is, and the sequence gap it leaves ends the run downstream (<see cref="RtpSequence"/>). Packets behind
/// the expected one (duplicates, or too late) are dropped.
/// </summary>
internal sealed class RtpReorder
{
    /// <summary>How far ahead a packet may be and still wait for those before it (a power of two).</summary>
    public const int Window = 16;

    private readonly byte[]?[] _slots = new byte[Window][];
    private readonly int[] _lengths = new int[Window];
    private readonly bool[] _full = new bool[Window];
    private ushort? _expected;
    private int _held;

    public enum Verdict
    {
        /// <summary>Next in order (or past hope of order): hand it on now.</summary>
        Deliver,

        /// <summary>Kept until the packets before it arrive.</summary>
        Held,

        /// <summary>A duplicate or one that came too late.</summary>
        Dropped,
    }

    /// <summary>A datagram just received from the camera.</summary>
    public Verdict Arrived(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 12)
        {
            return Verdict.Deliver; // not RTP: the packet parser says so
        }
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        var ahead = _expected is { } e ? (ushort)(sequence - e) : 0;
        if (ahead == 0 || (ahead >= Window && ahead < 0x8000))
        {
            Next(sequence);
            return Verdict.Deliver;
        }
        if (ahead >= 0x8000)
        {
            return Verdict.Dropped;
        }
        var slot = sequence & (Window - 1);
        if (!_full[slot])
        {
            var copy = _slots[slot] is { } s && s.Length >= datagram.Length ? s : new byte[Math.Max(datagram.Length, 2048)];
            datagram.CopyTo(copy);
            (_slots[slot], _lengths[slot], _full[slot]) = (copy, datagram.Length, true);
            _held++;
        }
        return Verdict.Held;
    }

    /// <summary>The held packet that is next in order now, if there is one.</summary>
    public bool TryTakeNext(out ReadOnlySpan<byte> datagram)
    {
        if (_held > 0 && _expected is { } e && _full[e & (Window - 1)])
        {
            datagram = Take(e & (Window - 1));
            return true;
        }
        datagram = default;
        return false;
    }

    /// <summary>The stream went quiet with packets held: the earliest of them goes on, past the hole before it.</summary>
    public bool TryTakeEarliest(out ReadOnlySpan<byte> datagram)
    {
        for (var ahead = 1; _held > 0 && _expected is { } e && ahead < Window; ahead++)
        {
            if (_full[(e + ahead) & (Window - 1)])
            {
                datagram = Take((e + ahead) & (Window - 1));
                return true;
            }
        }
        datagram = default;
        return false;
    }

    private ReadOnlySpan<byte> Take(int slot)
    {
        _full[slot] = false;
        _held--;
        var datagram = _slots[slot].AsSpan(0, _lengths[slot]);
        Next(BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]));
        return datagram;
    }

    /// <summary>Moves past <paramref name="sequence"/>; held packets it leaves behind can no longer be in order and go.</summary>
    private void Next(ushort sequence)
    {
        _expected = (ushort)(sequence + 1);
        for (var i = 0; _held > 0 && i < Window; i++)
        {
            if (_full[i] && (ushort)(BinaryPrimitives.ReadUInt16BigEndian(_slots[i].AsSpan(2)) - _expected.Value) >= Window)
            {
                _full[i] = false;
                _held--;
            }
        }
    }
}
