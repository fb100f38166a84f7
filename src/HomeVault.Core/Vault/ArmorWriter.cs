using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>Writes age armor: 64-column padded base64 between the BEGIN and END lines, as age does.</summary>
internal sealed class ArmorWriter : Stream
{
    private readonly Stream _out;
    private readonly bool _leaveOpen;
    private readonly byte[] _pending = new byte[Armor.BytesPerLine];
    private readonly byte[] _lineBuf = new byte[Armor.ColumnsPerLine + 1];
    private int _pendingLen;
    private bool _completed;

    public ArmorWriter(Stream output, bool leaveOpen)
    {
        _out = output;
        _leaveOpen = leaveOpen;
        _out.Write(Encoding.ASCII.GetBytes(Armor.Header + "\n"));
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            var n = Math.Min(buffer.Length, Armor.BytesPerLine - _pendingLen);
            buffer[..n].CopyTo(_pending.AsSpan(_pendingLen));
            _pendingLen += n;
            buffer = buffer[n..];
            if (_pendingLen == Armor.BytesPerLine)
            {
                WriteLine();
            }
        }
    }

    private void WriteLine()
    {
        System.Buffers.Text.Base64.EncodeToUtf8(_pending.AsSpan(0, _pendingLen), _lineBuf, out _, out var written);
        _lineBuf[written] = (byte)'\n';
        _out.Write(_lineBuf, 0, written + 1);
        _pendingLen = 0;
    }

    /// <summary>Writes the last (short or empty) line and the END line.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        if (_pendingLen > 0)
        {
            WriteLine();
        }
        _out.Write(Encoding.ASCII.GetBytes(Armor.Footer + "\n"));
        _completed = true;
        _out.Flush();
    }

    public override void Flush() => _out.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Complete();
            if (!_leaveOpen)
            {
                _out.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
