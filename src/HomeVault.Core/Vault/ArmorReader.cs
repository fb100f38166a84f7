using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>
/// Strict streaming decoder for age armor: exact BEGIN/END lines, 64-column canonical padded
/// base64, only the last data line short, LF or CRLF endings, at most 1 KiB of surrounding whitespace.
/// </summary>
internal sealed class ArmorReader : Stream
{
    private readonly BufferedInput _in;
    private readonly List<byte> _line = new(Armor.ColumnsPerLine + 2);
    private readonly byte[] _decoded = new byte[Armor.BytesPerLine];
    private int _pos;
    private int _len;
    private bool _started;
    private bool _ended;
    private AgeException? _error;

    public ArmorReader(BufferedInput input) => _in = input;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (_pos == _len)
        {
            if (_error is not null)
            {
                throw _error;
            }
            try
            {
                if (_ended || !NextLine())
                {
                    return 0;
                }
            }
            catch (AgeException e)
            {
                _error = e;
                throw;
            }
        }
        var n = Math.Min(buffer.Length, _len - _pos);
        _decoded.AsSpan(_pos, n).CopyTo(buffer);
        _pos += n;
        return n;
    }

    private bool NextLine()
    {
        if (!_started)
        {
            var whitespace = 0;
            while (true)
            {
                var line = GetLine();
                if (IsAllSpace(line))
                {
                    whitespace += line.Length + 1;
                    if (whitespace > Armor.MaxWhitespace)
                    {
                        throw Fail("too much leading whitespace");
                    }
                    continue;
                }
                if (line != Armor.Header)
                {
                    throw Fail("first line is not -----BEGIN AGE ENCRYPTED FILE-----");
                }
                _started = true;
                break;
            }
        }
        var data = GetLine();
        if (data == Armor.Footer)
        {
            End();
            return false;
        }
        if (data.Length > Armor.ColumnsPerLine)
        {
            throw Fail("line longer than 64 columns");
        }
        if (data.Length == 0 || !TryDecodeStrict(data, _decoded, out var n))
        {
            throw Fail("invalid base64 line");
        }
        _pos = 0;
        _len = n;
        if (n < Armor.BytesPerLine)
        {
            if (GetLine() != Armor.Footer)
            {
                throw Fail("short line not followed by -----END AGE ENCRYPTED FILE-----");
            }
            End();
        }
        return true;
    }

    private void End()
    {
        _ended = true;
        var trailing = new byte[Armor.MaxWhitespace];
        var n = _in.ReadFull(trailing);
        foreach (var b in trailing.AsSpan(0, n))
        {
            if (!Armor.IsSpace(b))
            {
                throw Fail("data after -----END AGE ENCRYPTED FILE-----");
            }
        }
        if (n == Armor.MaxWhitespace)
        {
            throw Fail("too much trailing whitespace");
        }
    }

    private string GetLine()
    {
        try
        {
            if (!_in.ReadLine(_line, 4096))
            {
                throw Fail("unexpected end of file");
            }
        }
        catch (BufferedInput.LineTooLongException)
        {
            throw Fail("line too long");
        }
        var count = _line.Count;
        if (count > 0 && _line[count - 1] == '\n')
        {
            count--;
        }
        if (count > 0 && _line[count - 1] == '\r')
        {
            count--;
        }
        return Encoding.Latin1.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_line)[..count]);
    }

    private static bool IsAllSpace(string s)
    {
        foreach (var c in s)
        {
            if (c > 127 || !Armor.IsSpace((byte)c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Padded standard base64 with no whitespace and zero trailing bits (Go's StdEncoding.Strict()).</summary>
    private static bool TryDecodeStrict(string s, Span<byte> dest, out int written)
    {
        written = 0;
        if (s.Length % 4 != 0)
        {
            return false;
        }
        var padStart = s.Length;
        while (padStart > 0 && s[padStart - 1] == '=')
        {
            padStart--;
        }
        if (s.Length - padStart > 2)
        {
            return false;
        }
        if (!Base64Raw.TryDecode(s.AsSpan(0, padStart), out var bytes) || bytes.Length > dest.Length)
        {
            return false;
        }
        // The padding must be exactly what the unpadded length implies.
        if ((padStart + (s.Length - padStart)) % 4 != 0 || (padStart % 4 == 0 && s.Length != padStart))
        {
            return false;
        }
        bytes.CopyTo(dest);
        written = bytes.Length;
        return true;
    }

    private static AgeException Fail(string why) => new(AgeErrorKind.InvalidArmor, "invalid armor: " + why);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
