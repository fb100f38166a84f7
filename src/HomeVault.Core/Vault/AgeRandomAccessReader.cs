using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// Random access into a binary age file's plaintext: reading at a position decrypts only the 64 KiB chunk that
/// holds it. Chunk i sits at a fixed offset after the header and nonce, and its nonce is its counter with the final
/// flag set on the last chunk, which the file's length names. Every chunk is authenticated before any of its bytes
/// are handed out, so a bad tag, a truncated file or data after the final chunk throws <see cref="AgeException"/>
/// (the kinds <see cref="AgeDecryptingStream"/> reports) and releases nothing of that chunk. The header is opened by
/// the same code as the sequential reader. Plaintext lives only in this reader's one-chunk buffer, zeroed on dispose.
/// </summary>
public sealed class AgeRandomAccessReader : IDisposable
{
    private readonly Stream _file;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly long _payloadStart;
    private readonly long _payloadLength;
    private readonly long _chunks;
    private readonly byte[] _cipher = new byte[Payload.EncChunkSize];
    private readonly byte[] _plain = new byte[Payload.ChunkSize];
    private long _held = -1;
    private int _heldLength;
    private bool _disposed;

    private AgeRandomAccessReader(Stream file, bool leaveOpen, ChaCha20Poly1305 aead, long payloadStart)
    {
        _file = file;
        _leaveOpen = leaveOpen;
        _aead = aead;
        _payloadStart = payloadStart;
        _payloadLength = file.Length - payloadStart;
        _chunks = Math.Max(1, (_payloadLength + Payload.EncChunkSize - 1) / Payload.EncChunkSize);
        Length = Math.Max(0, _payloadLength - (_chunks * Payload.TagSize));
    }

    /// <summary>Plaintext length the file's size implies (its last chunk is authenticated when read).</summary>
    public long Length { get; }

    /// <summary>
    /// Parses and authenticates the header of the seekable binary age file <paramref name="file"/> now and checks that its
    /// payload has a plausible final chunk; throws <see cref="AgeException"/> otherwise.
    /// </summary>
    public static AgeRandomAccessReader Open(Stream file, IEnumerable<IIdentity> identities, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        try
        {
            if (!file.CanSeek)
            {
                throw new ArgumentException("random access needs a seekable stream", nameof(file));
            }
            file.Position = 0;
            var source = new BufferedInput(file);
            if (Armor.LooksArmored(source))
            {
                throw new AgeException(AgeErrorKind.InvalidArmor, "an armored age file cannot be read at random; decrypt it from the start");
            }
            var aead = AgeDecryptingStream.OpenPayload(source, identities);
            var reader = new AgeRandomAccessReader(file, leaveOpen, aead, source.Consumed);
            try
            {
                reader.CheckFinalChunkSize();
            }
            catch
            {
                reader.Dispose();
                throw;
            }
            return reader;
        }
        catch when (!leaveOpen)
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies plaintext starting at <paramref name="position"/> into <paramref name="buffer"/>, from the one chunk that holds
    /// that position (so possibly fewer bytes than asked); 0 at or past <see cref="Length"/>.
    /// </summary>
    public int Read(long position, Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (position >= Length || buffer.IsEmpty)
        {
            return 0;
        }
        var index = position / Payload.ChunkSize;
        if (index != _held)
        {
            Load(index);
        }
        var at = (int)(position - (index * Payload.ChunkSize));
        var take = Math.Min(buffer.Length, _heldLength - at);
        _plain.AsSpan(at, take).CopyTo(buffer);
        return take;
    }

    private void CheckFinalChunkSize()
    {
        if (_payloadLength <= 0)
        {
            throw new AgeException(AgeErrorKind.Truncated, "age file is truncated: no final chunk after 0 chunk(s)");
        }
        var last = _payloadLength - ((_chunks - 1) * Payload.EncChunkSize);
        if (_chunks > 1 && last == Payload.TagSize)
        {
            throw new AgeException(AgeErrorKind.PayloadCorrupt, "age payload has an empty final chunk after a full one");
        }
        if (last < Payload.TagSize)
        {
            throw new AgeException(AgeErrorKind.PayloadCorrupt, $"age payload chunk {_chunks - 1} is too short (corrupted or truncated)");
        }
    }

    /// <summary>Reads, authenticates and decrypts chunk <paramref name="index"/> into the held buffer.</summary>
    private void Load(long index)
    {
        _held = -1;
        var final = index == _chunks - 1;
        var size = (int)Math.Min(Payload.EncChunkSize, _payloadLength - (index * Payload.EncChunkSize));
        _file.Position = _payloadStart + (index * Payload.EncChunkSize);
        if (_file.ReadAtLeast(_cipher.AsSpan(0, size), size, throwOnEndOfStream: false) != size)
        {
            throw new AgeException(AgeErrorKind.Truncated, $"age file is truncated: chunk {index} ends early (the file shrank while read)");
        }
        var cipher = _cipher.AsSpan(0, size);
        if (!Payload.TryOpen(_aead, (ulong)index, final, cipher, _plain))
        {
            // The distinctions the sequential reader makes: a full chunk that opens as non-final lost what followed it; one that opens as final has data after it.
            if (final && size == Payload.EncChunkSize && Payload.TryOpen(_aead, (ulong)index, false, cipher, _plain))
            {
                CryptographicOperations.ZeroMemory(_plain);
                throw new AgeException(AgeErrorKind.Truncated, $"age file is truncated: no final chunk after {index + 1} chunk(s)");
            }
            if (!final && size == Payload.EncChunkSize && Payload.TryOpen(_aead, (ulong)index, true, cipher, _plain))
            {
                CryptographicOperations.ZeroMemory(_plain);
                throw new AgeException(AgeErrorKind.TrailingData, "age file has trailing data after the final chunk");
            }
            throw new AgeException(AgeErrorKind.PayloadCorrupt, $"age payload chunk {index} failed authentication (corrupted, reordered or truncated)");
        }
        _held = index;
        _heldLength = size - Payload.TagSize;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _aead.Dispose();
        CryptographicOperations.ZeroMemory(_plain);
        if (!_leaveOpen)
        {
            _file.Dispose();
        }
    }
}
