using System.Buffers;
using System.Text;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Tests.Vault;

/// <summary>
/// Plaintext must not outlive the copy in a buffer returned to the shared pool, where any later renter reads it.
/// The shared pool hands a thread the array it returned last, so renting the same size right after shows what was left.
/// </summary>
public sealed class PlaintextHygieneTests
{
    private static readonly byte[] Marker = Encoding.ASCII.GetBytes("HOMEVAULT-PLAINTEXT-MARKER-");

    private static byte[] Plaintext()
    {
        var plain = new byte[3 * Payload.ChunkSize + 1000];
        for (var i = 0; i < plain.Length; i++)
        {
            plain[i] = Marker[i % Marker.Length];
        }
        return plain;
    }

    private static void AssertPoolHoldsNoPlaintext(int size)
    {
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            Assert.True(rented.AsSpan().IndexOf(Marker) < 0, $"a pooled {rented.Length}-byte buffer still holds plaintext");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [Fact]
    public void Decrypt_and_CopyTo_leave_no_plaintext_in_the_shared_pool()
    {
        using var id = X25519Identity.Generate();
        var plain = Plaintext();
        using var sealedFile = new MemoryStream();
        Age.Encrypt(new MemoryStream(plain), sealedFile, [id.Recipient]);

        using var output = new MemoryStream();
        sealedFile.Position = 0;
        Age.Decrypt(sealedFile, output, [id]);
        Assert.Equal(plain, output.ToArray());
        AssertPoolHoldsNoPlaintext(Payload.ChunkSize);

        sealedFile.Position = 0;
        using var dec = Age.DecryptingStream(sealedFile, [id], leaveOpen: true);
        using var copied = new MemoryStream();
        dec.CopyTo(copied);
        Assert.Equal(plain, copied.ToArray());
        AssertPoolHoldsNoPlaintext(81920);
    }

    [Fact]
    public void Encrypt_leaves_no_plaintext_in_the_shared_pool()
    {
        using var id = X25519Identity.Generate();

        // Not a MemoryStream source: MemoryStream.CopyTo writes from its own buffer and never touches the pool.
        Age.Encrypt(new ReadOnlySource(Plaintext()), new MemoryStream(), [id.Recipient]);

        AssertPoolHoldsNoPlaintext(16 * Payload.ChunkSize);
    }
}

/// <summary>A plain readable stream with none of MemoryStream's shortcuts, like a file or a pipe.</summary>
internal sealed class ReadOnlySource(byte[] data) : Stream
{
    private int _pos;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _pos; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, data.Length - _pos);
        data.AsSpan(_pos, n).CopyTo(buffer.AsSpan(offset));
        _pos += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
