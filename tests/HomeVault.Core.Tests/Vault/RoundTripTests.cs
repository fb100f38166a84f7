using HomeVault.Core.Vault;
using static HomeVault.Core.Tests.Vault.VaultTestFiles;

namespace HomeVault.Core.Tests.Vault;

public sealed class RoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    [InlineData(1_000_003)]
    public void X25519_round_trip_with_three_recipients_binary_and_armored(int size)
    {
        using var a = X25519Identity.Generate();
        using var b = X25519Identity.Generate();
        using var c = X25519Identity.Generate();
        var plain = Random(size);
        foreach (var armor in new[] { false, true })
        {
            var file = Encrypt(plain, [a.Recipient, b.Recipient, c.Recipient], armor);
            // Expected ciphertext size: chunks never end with an empty chunk unless the payload is empty.
            var chunks = Math.Max(1, (size + Chunk - 1) / Chunk);
            if (!armor)
            {
                Assert.Equal(PayloadStart(file) + size + chunks * 16, file.Length);
            }
            foreach (var id in new[] { a, b, c })
            {
                var (released, error) = Decrypt(file, id);
                Assert.Null(error);
                Assert.Equal(plain, released);
            }
        }
    }

    [Fact]
    public void Small_reads_yield_the_same_plaintext()
    {
        using var id = X25519Identity.Generate();
        var plain = Random(2 * Chunk + 777);
        var file = Encrypt(plain, [id.Recipient]);
        using var dec = Age.DecryptingStream(new MemoryStream(file), [id]);
        var got = new MemoryStream();
        var buf = new byte[1000];
        int n;
        while ((n = dec.Read(buf, 0, buf.Length)) > 0)
        {
            got.Write(buf, 0, n);
        }
        Assert.Equal(plain, got.ToArray());
        Assert.True(dec.IsComplete);
        Assert.Equal(3, dec.AuthenticatedChunks);
        Assert.Equal(plain.Length, dec.ReleasedLength);
    }

    [Fact]
    public void Scrypt_round_trip_and_rules()
    {
        var plain = Random(5000);
        using var r = new ScryptRecipient("correct horse battery staple", workFactor: 10);
        var file = Encrypt(plain, [r]);
        using (var good = new ScryptIdentity("correct horse battery staple"))
        {
            Assert.Equal(plain, Decrypt(file, good).Released);
        }
        using (var bad = new ScryptIdentity("wrong"))
        {
            var e = Decrypt(file, bad).Error;
            Assert.Equal(AgeErrorKind.NoIdentityMatched, e?.Kind);
            Assert.DoesNotContain("wrong", e!.Message, StringComparison.Ordinal);
        }
        using (var low = new ScryptIdentity("correct horse battery staple", maxWorkFactor: 9))
        {
            Assert.Equal(AgeErrorKind.InvalidHeader, Decrypt(file, low).Error?.Kind);
        }
        using var x = X25519Identity.Generate();
        Assert.Throws<ArgumentException>(() => Encrypt(plain, [r, x.Recipient]));
    }

    [Fact]
    public void Writer_pushes_each_full_chunk_once_it_knows_it_is_not_last_and_a_crash_copy_salvages()
    {
        using var id = X25519Identity.Generate();
        var plain = Random(3 * Chunk);
        var sink = new MemoryStream();
        var enc = Age.EncryptingStream(sink, [id.Recipient], leaveOpen: true);
        var headerLen = sink.Length;
        enc.Write(plain, 0, Chunk);
        Assert.Equal(headerLen, sink.Length); // may still be the final chunk: held back
        Assert.Equal(0, enc.CommittedLength);
        enc.Write(plain, Chunk, 1);
        Assert.Equal(headerLen + EncChunk, sink.Length);
        Assert.Equal(Chunk, enc.CommittedLength);
        enc.Write(plain, Chunk + 1, 2 * Chunk - 1);
        Assert.Equal(2 * Chunk, enc.CommittedLength);
        Assert.Equal(3 * Chunk, enc.WrittenLength);

        // "Crash" now: what reached the disk is a truncated file that salvages to the committed prefix.
        var crashed = sink.ToArray();
        Assert.Equal(AgeErrorKind.Truncated, Decrypt(crashed, id).Error?.Kind);
        var recovered = new MemoryStream();
        var result = Age.Salvage(new MemoryStream(crashed), recovered, [id]);
        Assert.False(result.Complete);
        Assert.Equal(2 * Chunk, result.BytesRecovered);
        Assert.Equal(2, result.ChunksRecovered);
        Assert.Equal(AgeErrorKind.Truncated, result.Failure);
        Assert.Equal(plain.AsSpan(0, 2 * Chunk).ToArray(), recovered.ToArray());

        enc.Complete();
        enc.Dispose();
        Assert.True(sink.CanWrite); // leaveOpen honoured
        Assert.Equal(plain, Decrypt(sink.ToArray(), id).Released);
        Assert.Throws<ObjectDisposedException>(() => enc.Write(plain, 0, 1));
    }

    [Fact]
    public void Streams_close_the_underlying_stream_unless_leaveOpen()
    {
        using var id = X25519Identity.Generate();
        var sink = new MemoryStream();
        using (var enc = Age.EncryptingStream(sink, [id.Recipient]))
        {
            enc.Write([1, 2, 3]);
            enc.Complete();
        }
        Assert.False(sink.CanWrite);
        var file = sink.ToArray();
        var input = new MemoryStream(file);
        using (var dec = Age.DecryptingStream(input, [id]))
        {
            Assert.Equal(1, dec.ReadByte());
        }
        Assert.False(input.CanRead);
    }

    [Fact]
    public void Armored_output_has_age_line_rules()
    {
        using var id = X25519Identity.Generate();
        var file = Encrypt(Random(1000), [id.Recipient], armor: true);
        var lines = System.Text.Encoding.ASCII.GetString(file).Split('\n');
        Assert.Equal("-----BEGIN AGE ENCRYPTED FILE-----", lines[0]);
        Assert.Equal("-----END AGE ENCRYPTED FILE-----", lines[^2]);
        Assert.Equal("", lines[^1]);
        Assert.All(lines[1..^3], l => Assert.Equal(64, l.Length));
        Assert.InRange(lines[^3].Length, 1, 64);
    }
}

/// <summary>A disk that fills up after a given number of bytes.</summary>
internal sealed class FailingStream(int capacity) : MemoryStream
{
    public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (Length + count > capacity)
        {
            throw new IOException("disk full");
        }
        base.Write(buffer, offset, count);
    }
}

public sealed class WriterFaultTests
{
    [Fact]
    public void Disposing_without_Complete_abandons_so_a_cut_short_writer_never_looks_whole()
    {
        using var id = X25519Identity.Generate();
        var plain = VaultTestFiles.Random(3 * VaultTestFiles.Chunk + 100);
        var sink = new MemoryStream();
        using (var enc = Age.EncryptingStream(sink, [id.Recipient], leaveOpen: true))
        {
            enc.Write(plain);
            // no Complete(): as when the plaintext source throws inside a using block
        }
        var result = Age.Salvage(new MemoryStream(sink.ToArray()), Stream.Null, [id]);
        Assert.False(result.Complete);
        Assert.Equal(3 * VaultTestFiles.Chunk, result.BytesRecovered);
    }

    [Fact]
    public void A_failed_write_never_gets_a_final_chunk_and_the_committed_part_salvages()
    {
        using var id = X25519Identity.Generate();
        var plain = VaultTestFiles.Random(10 * VaultTestFiles.Chunk);
        var sink = new FailingStream(1024 + 2 * VaultTestFiles.EncChunk);
        var enc = Age.EncryptingStream(sink, [id.Recipient], leaveOpen: true);
        enc.Write(plain, 0, 2 * VaultTestFiles.Chunk + 1); // two chunks committed
        Assert.Equal(2 * VaultTestFiles.Chunk, enc.CommittedLength);
        Assert.Throws<IOException>(() => enc.Write(plain, 0, 4 * VaultTestFiles.Chunk));
        Assert.Throws<InvalidOperationException>(() => enc.Write(plain, 0, 1));
        enc.Dispose(); // must not seal a final chunk over the gap
        var result = Age.Salvage(new MemoryStream(sink.ToArray()), Stream.Null, [id]);
        Assert.False(result.Complete);
        Assert.Equal(AgeErrorKind.Truncated, result.Failure);
        Assert.Equal(2 * VaultTestFiles.Chunk, result.BytesRecovered);
    }
}
