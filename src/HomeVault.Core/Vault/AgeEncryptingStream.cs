using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// Write-only stream that encrypts to age v1. Each full 64 KiB chunk is written to the underlying
/// stream as soon as more plaintext proves it is not the last, so at most one chunk is held back;
/// <see cref="CommittedLength"/> says how much plaintext has reached the underlying stream (durable
/// after the caller's fsync). <see cref="Complete"/> or Dispose writes the final chunk.
/// </summary>
public sealed class AgeEncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly Stream _sink;
    private readonly ArmorWriter? _armor;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _plain = new byte[Payload.ChunkSize];
    private readonly byte[] _cipher = new byte[Payload.EncChunkSize];
    private int _plainLen;
    private ulong _counter;
    private long _committed;
    private long _written;
    private bool _completed;
    private bool _disposed;

    internal AgeEncryptingStream(Stream output, IEnumerable<IRecipient> recipients, bool armor, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(recipients);
        var list = recipients.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("at least one recipient is required", nameof(recipients));
        }
        if (list.Any(r => r is ScryptRecipient) && list.Count != 1)
        {
            throw new ArgumentException("a passphrase (scrypt) recipient must be the only recipient", nameof(recipients));
        }
        _output = output;
        _leaveOpen = leaveOpen;
        Span<byte> fileKey = stackalloc byte[KeyWrap.FileKeySize];
        Span<byte> nonce = stackalloc byte[Payload.NonceSize];
        try
        {
            RandomNumberGenerator.Fill(fileKey);
            var stanzas = new List<Stanza>();
            foreach (var r in list)
            {
                stanzas.AddRange(r.Wrap(fileKey));
            }
            var header = Header.Write(stanzas, fileKey);
            RandomNumberGenerator.Fill(nonce);
            _aead = Payload.CreateAead(fileKey, nonce);
            if (armor)
            {
                _armor = new ArmorWriter(output, leaveOpen: true);
                _sink = _armor;
            }
            else
            {
                _sink = output;
            }
            _sink.Write(header);
            _sink.Write(nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    /// <summary>Plaintext bytes whose encrypted chunks have been handed to the underlying stream.</summary>
    public long CommittedLength => _committed;

    /// <summary>Plaintext bytes accepted so far (committed plus the held-back chunk).</summary>
    public long WrittenLength => _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            if (_plainLen == Payload.ChunkSize)
            {
                // More plaintext exists, so the buffered chunk is not the last: seal and release it now.
                SealChunk(final: false);
            }
            var n = Math.Min(buffer.Length, Payload.ChunkSize - _plainLen);
            buffer[..n].CopyTo(_plain.AsSpan(_plainLen));
            _plainLen += n;
            _written += n;
            buffer = buffer[n..];
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    private void SealChunk(bool final)
    {
        Span<byte> nonce = stackalloc byte[12];
        Payload.ChunkNonce(_counter, final, nonce);
        _aead.Encrypt(nonce, _plain.AsSpan(0, _plainLen), _cipher.AsSpan(0, _plainLen), _cipher.AsSpan(_plainLen, Payload.TagSize));
        _sink.Write(_cipher, 0, _plainLen + Payload.TagSize);
        _counter++;
        _committed += _plainLen;
        _plainLen = 0;
    }

    /// <summary>Flushes the underlying stream. The held-back chunk stays held back: it may yet be the last.</summary>
    public override void Flush() => _sink.Flush();

    /// <summary>Writes the final chunk (and armor footer) and flushes. Further writes throw.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        // Never an empty final chunk after a full one: a full chunk is only sealed when more data follows.
        SealChunk(final: true);
        _armor?.Complete();
        _completed = true;
        _output.Flush();
        CryptographicOperations.ZeroMemory(_plain);
    }

    /// <summary>
    /// Drops the held-back plaintext and the keys without writing a final chunk, as a crash would:
    /// the output stays a truncated age file that salvage recovers up to its last whole chunk.
    /// </summary>
    public void Abandon()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        _plainLen = 0;
        CryptographicOperations.ZeroMemory(_plain);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            try
            {
                Complete();
            }
            finally
            {
                _aead.Dispose();
                if (!_leaveOpen)
                {
                    _output.Dispose();
                }
            }
        }
        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
