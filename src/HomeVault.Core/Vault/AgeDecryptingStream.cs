using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// Read-only stream over an age file's plaintext. The header is parsed and authenticated when the
/// stream is created; each payload chunk is released only after its tag verifies, so no byte past
/// the last authenticated chunk ever reaches the caller. A missing final chunk, a bad tag or data
/// after the final chunk throws <see cref="AgeException"/> from Read.
/// </summary>
public sealed class AgeDecryptingStream : Stream
{
    // age's post-quantum hybrid recipient type: not implemented, so a file sealed only to it says so instead of a bare "no match".
    private const string PostQuantumStanzaType = "mlkem768x25519";

    private readonly BufferedInput _in;
    private readonly Stream _owned;
    private readonly bool _leaveOpen;
    private readonly ChaCha20Poly1305 _aead;
    private readonly byte[] _cipher = new byte[Payload.EncChunkSize];
    private readonly byte[] _plain = new byte[Payload.ChunkSize];
    private int _pos;
    private int _len;
    private ulong _counter;
    private bool _final;
    private AgeException? _pending;
    private bool _disposed;

    private AgeDecryptingStream(BufferedInput input, Stream owned, bool leaveOpen, ChaCha20Poly1305 aead)
    {
        _in = input;
        _owned = owned;
        _leaveOpen = leaveOpen;
        _aead = aead;
    }

    /// <summary>Plaintext bytes handed to the caller so far (all of it authenticated).</summary>
    public long ReleasedLength { get; private set; }

    /// <summary>Payload chunks that have been authenticated.</summary>
    public long AuthenticatedChunks => (long)_counter;

    /// <summary>True once the final chunk authenticated and no data followed it.</summary>
    public bool IsComplete { get; private set; }

    public override bool CanRead => !_disposed;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => ReleasedLength; set => throw new NotSupportedException(); }

    internal static AgeDecryptingStream Open(Stream input, IEnumerable<IIdentity> identities, bool leaveOpen)
    {
        ArgumentNullException.ThrowIfNull(input);
        var raw = new BufferedInput(input);
        var source = Armor.LooksArmored(raw) ? new BufferedInput(new ArmorReader(raw)) : raw;
        return new AgeDecryptingStream(source, input, leaveOpen, OpenPayload(source, identities));
    }

    /// <summary>
    /// Parses <paramref name="source"/>'s header, unwraps the file key with the first identity that matches,
    /// verifies the header MAC and reads the payload nonce: the payload's AEAD, with the source at the first chunk.
    /// The one place both readers (this and <see cref="AgeRandomAccessReader"/>) open an age file.
    /// </summary>
    internal static ChaCha20Poly1305 OpenPayload(BufferedInput source, IEnumerable<IIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(identities);
        var ids = identities.ToList();
        if (ids.Count == 0)
        {
            throw new ArgumentException("at least one identity is required", nameof(identities));
        }
        var header = Header.Parse(source);
        if (header.Stanzas.Any(s => s.Type == ScryptRecipient.StanzaType) && header.Stanzas.Count != 1)
        {
            throw new AgeException(AgeErrorKind.InvalidHeader, "invalid age header: a passphrase (scrypt) stanza must be the only stanza");
        }
        Span<byte> fileKey = stackalloc byte[KeyWrap.FileKeySize];
        try
        {
            var matched = false;
            foreach (var id in ids)
            {
                if (id.TryUnwrap(header.Stanzas, fileKey))
                {
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                throw new AgeException(AgeErrorKind.NoIdentityMatched, header.Stanzas.Any(s => s.Type == PostQuantumStanzaType)
                    ? $"no identity matched any of the file's recipients; it is sealed to a post-quantum hybrid ({PostQuantumStanzaType}) recipient, which HomeVault does not support"
                    : "no identity matched any of the file's recipients");
            }
            if (!header.VerifyMac(fileKey))
            {
                throw new AgeException(AgeErrorKind.HeaderMacMismatch, "age header MAC mismatch: the header was modified or the file key is wrong");
            }
            Span<byte> nonce = stackalloc byte[Payload.NonceSize];
            if (source.ReadFull(nonce) != Payload.NonceSize)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid age file: payload nonce missing or short");
            }
            return Payload.CreateAead(fileKey, nonce);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }
        if (_pos == _len)
        {
            if (_pending is not null)
            {
                throw _pending;
            }
            if (_final)
            {
                return 0;
            }
            // Decrypt straight into a large caller buffer; on failure the BCL zeroes it, releasing nothing.
            var direct = buffer.Length >= Payload.ChunkSize;
            int n;
            try
            {
                n = ReadChunk(direct ? buffer : _plain);
            }
            catch (AgeException e)
            {
                // Sticky: a failed stream never later looks like a clean end of file.
                _pending ??= e;
                throw;
            }
            if (direct)
            {
                ReleasedLength += n;
                return n;
            }
            _pos = 0;
            _len = n;
        }
        var take = Math.Min(buffer.Length, _len - _pos);
        _plain.AsSpan(_pos, take).CopyTo(buffer);
        _pos += take;
        ReleasedLength += take;
        return take;
    }

    /// <summary>Reads, authenticates and decrypts the next chunk (same decisions as the reference implementation).</summary>
    private int ReadChunk(Span<byte> dest)
    {
        var n = _in.ReadFull(_cipher);
        if (n == 0)
        {
            throw Fail(AgeErrorKind.Truncated, $"age file is truncated: no final chunk after {_counter} chunk(s)");
        }
        var last = false;
        if (n < Payload.EncChunkSize)
        {
            if (_counter != 0 && n == Payload.TagSize)
            {
                throw Fail(AgeErrorKind.PayloadCorrupt, "age payload has an empty final chunk after a full one");
            }
            if (n < Payload.TagSize)
            {
                throw Fail(AgeErrorKind.PayloadCorrupt, $"age payload chunk {_counter} is too short (corrupted or truncated)");
            }
            last = true;
        }
        var plainLen = n - Payload.TagSize;
        if (!TryOpen(plainLen, last, dest))
        {
            // A full-size chunk may also be the final one.
            if (last || !TryOpen(plainLen, true, dest))
            {
                throw Fail(AgeErrorKind.PayloadCorrupt, $"age payload chunk {_counter} failed authentication (corrupted, reordered or truncated)");
            }
            last = true;
        }
        _counter++;
        if (last)
        {
            _final = true;
            // The chunk authenticated, so it is released; whatever is wrong after it is reported by the next Read.
            try
            {
                if (_in.ReadByte() >= 0)
                {
                    _pending = new AgeException(AgeErrorKind.TrailingData, "age file has trailing data after the final chunk");
                }
                else
                {
                    IsComplete = true;
                }
            }
            catch (AgeException e)
            {
                _pending = e; // e.g. bad armor after the payload
            }
        }
        return plainLen;
    }

    private bool TryOpen(int plainLen, bool final, Span<byte> dest) =>
        Payload.TryOpen(_aead, _counter, final, _cipher.AsSpan(0, plainLen + Payload.TagSize), dest);

    private AgeException Fail(AgeErrorKind kind, string message)
    {
        _pending = new AgeException(kind, message);
        return _pending;
    }

    public override void Flush()
    {
    }

    // The base CopyTo would leave plaintext in a pooled buffer it returns uncleared.
    public override void CopyTo(Stream destination, int bufferSize) => PlaintextCopy.Copy(this, destination, bufferSize);

    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken) =>
        PlaintextCopy.CopyAsync(this, destination, bufferSize, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _aead.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            if (!_leaveOpen)
            {
                _owned.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
