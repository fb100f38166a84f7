using System.Buffers;
using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// Write-only stream that encrypts to age v1. Each full 64 KiB chunk is written to the underlying
/// stream as soon as more plaintext proves it is not the last, so at most one chunk is held back;
/// <see cref="CommittedLength"/> says how much plaintext has reached the underlying stream (durable
/// after the caller's fsync). Only <see cref="Complete"/> writes the final chunk; disposing without it
/// abandons the file (no final chunk), so a failed writer never produces a file that looks whole.
/// A writer that must record something before ciphertext reaches the file (the recorder's catalog) calls
/// <see cref="HoldUntilFlush"/>: sealed chunks then wait in the batch until it fills, or until Flush or Complete.
/// </summary>
public sealed class AgeEncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly Stream _sink;
    private readonly ArmorWriter? _armor;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _plain = new byte[Payload.ChunkSize];
    // Several sealed chunks go out in one write call; each Write still hands them all over before returning.
    // Pooled: a recorder opens a stream per clip per camera, and a fresh half-megabyte array each time
    // lands on the large object heap, which only a full GC reclaims. It holds ciphertext only.
    private byte[] _cipher = ArrayPool<byte>.Shared.Rent(CipherBufferSize);
    private int _cipherLen;
    private long _sealedPlain;
    private int _plainLen;
    private ulong _counter;
    private long _committed;
    private long _written;
    private bool _completed;
    private bool _faulted;
    private bool _disposed;
    private Action<long, bool>? _beforeWrite;

    // 512 KiB holds 7 sealed chunks; 8 would be just over it, and the pool would hand out 1 MiB.
    private const int CipherBufferSize = 512 << 10;

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

    /// <summary>
    /// Plaintext bytes whose encrypted chunks have been handed to the underlying stream. With
    /// armor, up to one 48-byte armor line may still sit in the armor encoder.
    /// </summary>
    public long CommittedLength => _committed;

    /// <summary>Plaintext bytes accepted so far (committed plus the held-back chunk).</summary>
    public long WrittenLength => _written;

    /// <summary>
    /// From now on sealed chunks stay in the ciphertext batch until it is full or the caller flushes or
    /// completes, and <paramref name="beforeWrite"/> is called before each batch goes to the underlying stream,
    /// with the plaintext length committed once it has and whether it holds the final chunk. So the caller
    /// hears of every write before it happens, about once per batch rather than once per Write. If the
    /// callback throws, nothing is written and the stream is faulted.
    /// </summary>
    internal void HoldUntilFlush(Action<long, bool> beforeWrite) => _beforeWrite = beforeWrite;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed || _disposed, this);
        if (_faulted)
        {
            throw new InvalidOperationException("a previous write to the underlying stream failed");
        }
        while (!buffer.IsEmpty)
        {
            if (_plainLen == Payload.ChunkSize)
            {
                // More plaintext exists, so the buffered chunk is not the last: seal and release it now.
                Seal(_plain, final: false);
                _plainLen = 0;
            }
            if (_plainLen == 0 && buffer.Length > Payload.ChunkSize)
            {
                // A whole chunk with more after it: seal straight from the caller's buffer.
                Seal(buffer[..Payload.ChunkSize], final: false);
                buffer = buffer[Payload.ChunkSize..];
                _written += Payload.ChunkSize;
                continue;
            }
            var n = Math.Min(buffer.Length, Payload.ChunkSize - _plainLen);
            buffer[..n].CopyTo(_plain.AsSpan(_plainLen));
            _plainLen += n;
            _written += n;
            buffer = buffer[n..];
        }
        if (_beforeWrite is null)
        {
            WriteSealed();
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    private void Seal(ReadOnlySpan<byte> plain, bool final)
    {
        if (_cipherLen + Payload.EncChunkSize > _cipher.Length)
        {
            WriteSealed();
        }
        Span<byte> nonce = stackalloc byte[12];
        Payload.ChunkNonce(_counter, final, nonce);
        _aead.Encrypt(nonce, plain, _cipher.AsSpan(_cipherLen, plain.Length), _cipher.AsSpan(_cipherLen + plain.Length, Payload.TagSize));
        _cipherLen += plain.Length + Payload.TagSize;
        _sealedPlain += plain.Length;
        _counter++;
    }

    private void WriteSealed(bool final = false)
    {
        if (_cipherLen > 0)
        {
            try
            {
                _beforeWrite?.Invoke(_sealedPlain, final);
                _sink.Write(_cipher, 0, _cipherLen);
            }
            catch
            {
                // What reached the disk (or the caller's record of it) is unknown: never seal a final chunk after this.
                _faulted = true;
                throw;
            }
            _cipherLen = 0;
        }
        _committed = _sealedPlain;
    }

    /// <summary>Writes the sealed chunks and flushes the underlying stream. The held-back chunk stays held back: it may yet be the last.</summary>
    public override void Flush()
    {
        if (!_completed && !_faulted)
        {
            WriteSealed();
        }
        _sink.Flush();
    }

    /// <summary>Writes the final chunk (and armor footer) and flushes. Further writes throw.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }
        if (_faulted)
        {
            throw new InvalidOperationException("a write to the underlying stream failed; the age file was left without a final chunk (salvage recovers the committed part)");
        }
        // Never an empty final chunk after a full one: a full chunk is only sealed when more data follows.
        Seal(_plain.AsSpan(0, _plainLen), final: true);
        _plainLen = 0;
        WriteSealed(final: true);
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
                // Only an explicit Complete() seals the file. Disposing while an exception unwinds
                // (the plaintext source failed) must not turn a cut-short stream into a file that
                // authenticates as whole, so an uncompleted stream is abandoned, as age's Go code does.
                Abandon();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(_cipher);
                _cipher = [];
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
