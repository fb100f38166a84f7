namespace HomeVault.Core.Vault;

/// <summary>
/// A small read buffer over a stream: line reads for the text header, then bulk reads for the
/// payload that bypass the buffer once it is drained (so chunk reads cost no extra copy).
/// </summary>
internal sealed class BufferedInput
{
    private readonly Stream _stream;
    private readonly byte[] _buf = new byte[8192];
    private int _pos;
    private int _len;
    private long _filled;

    public BufferedInput(Stream stream) => _stream = stream;

    public Stream Inner => _stream;

    /// <summary>Bytes of the stream consumed through this buffer (read from the stream and not still buffered).</summary>
    public long Consumed => _filled - (_len - _pos);

    private bool Fill()
    {
        _pos = 0;
        _len = _stream.Read(_buf, 0, _buf.Length);
        _filled += _len;
        return _len > 0;
    }

    public int ReadByte()
    {
        if (_pos == _len && !Fill())
        {
            return -1;
        }
        return _buf[_pos++];
    }

    /// <summary>Peeks at up to <paramref name="count"/> bytes (count ≤ buffer size) without consuming them.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        if (_len - _pos < count)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _len - _pos);
            _len -= _pos;
            _pos = 0;
            while (_len < count)
            {
                var n = _stream.Read(_buf, _len, _buf.Length - _len);
                if (n == 0)
                {
                    break;
                }
                _len += n;
                _filled += n;
            }
        }
        return _buf.AsSpan(_pos, Math.Min(count, _len - _pos));
    }

    /// <summary>
    /// Reads one line including its '\n' into <paramref name="line"/> (cleared first). Returns false
    /// at end of input with nothing read; a last line without '\n' is returned as is.
    /// </summary>
    public bool ReadLine(List<byte> line, int maxLength)
    {
        line.Clear();
        while (true)
        {
            if (_pos == _len && !Fill())
            {
                return line.Count > 0;
            }
            var span = _buf.AsSpan(_pos, _len - _pos);
            var nl = span.IndexOf((byte)'\n');
            var take = nl >= 0 ? nl + 1 : span.Length;
            if (line.Count + take > maxLength)
            {
                throw new LineTooLongException();
            }
            line.AddRange(span[..take]);
            _pos += take;
            if (nl >= 0)
            {
                return true;
            }
        }
    }

    /// <summary>Fills <paramref name="dest"/> unless the input ends first; returns the count read.</summary>
    public int ReadFull(Span<byte> dest)
    {
        var total = 0;
        if (_pos < _len)
        {
            var n = Math.Min(dest.Length, _len - _pos);
            _buf.AsSpan(_pos, n).CopyTo(dest);
            _pos += n;
            total = n;
        }
        while (total < dest.Length)
        {
            var n = _stream.Read(dest[total..]);
            if (n == 0)
            {
                break;
            }
            total += n;
            _filled += n;
        }
        return total;
    }

    internal sealed class LineTooLongException : UserError
    {
        public LineTooLongException()
            : base("line too long")
        {
        }

        public LineTooLongException(string message)
            : base(message)
        {
        }

        public LineTooLongException(string message, Exception inner)
            : base(message, inner)
        {
        }
    }
}
