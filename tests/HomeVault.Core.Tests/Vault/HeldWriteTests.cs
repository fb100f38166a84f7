using HomeVault.Core.Vault;
using static HomeVault.Core.Tests.Vault.VaultTestFiles;

namespace HomeVault.Core.Tests.Vault;

/// <summary>The recorder's mode of the age writer: sealed chunks wait for a flush or a full batch, and it is told before each write.</summary>
public sealed class HeldWriteTests
{
    [Fact]
    public void Sealed_chunks_wait_for_a_flush_or_a_full_batch_and_the_caller_hears_before_each_write()
    {
        using var id = X25519Identity.Generate();
        var plain = Random(12 * Chunk);
        var sink = new MemoryStream();
        var enc = Age.EncryptingStream(sink, [id.Recipient], leaveOpen: true);
        var header = sink.Length;
        var told = new List<(long Committed, bool Final, long SinkLength)>();
        enc.HoldUntilFlush((committed, final) => told.Add((committed, final, sink.Length)));

        enc.Write(plain, 0, (3 * Chunk) + 1);
        Assert.Equal(header, sink.Length); // three chunks sealed, none written
        Assert.Equal(0, enc.CommittedLength);
        Assert.Empty(told);

        enc.Flush();
        Assert.Equal((3L * Chunk, false, header), Assert.Single(told)); // told before the bytes went out
        Assert.Equal(header + (3 * EncChunk), sink.Length);
        Assert.Equal(3 * Chunk, enc.CommittedLength);

        // Seven sealed chunks fill the batch: it goes out when the eighth is sealed.
        enc.Write(plain, (3 * Chunk) + 1, (8 * Chunk) - 1);
        Assert.Equal(header + (3 * EncChunk), sink.Length);
        enc.Write(plain, 11 * Chunk, 1);
        Assert.Equal((10L * Chunk, false, header + (3 * EncChunk)), told[^1]);
        Assert.Equal(header + (10 * EncChunk), sink.Length);

        enc.Write(plain, (11 * Chunk) + 1, Chunk - 1);
        enc.Complete();
        Assert.Equal((12L * Chunk, true, header + (10 * EncChunk)), told[^1]);
        Assert.Equal(plain, Decrypt(sink.ToArray(), id).Released);
    }

    [Fact]
    public void A_caller_that_refuses_keeps_the_bytes_off_the_file_and_no_final_chunk_follows()
    {
        using var id = X25519Identity.Generate();
        var plain = Random(3 * Chunk);
        var sink = new MemoryStream();
        var enc = Age.EncryptingStream(sink, [id.Recipient], leaveOpen: true);
        var header = sink.Length;
        enc.HoldUntilFlush((_, _) => throw new IOException("catalog unavailable"));
        enc.Write(plain);
        Assert.Throws<IOException>(enc.Flush);
        Assert.Equal(header, sink.Length);
        Assert.Throws<InvalidOperationException>(enc.Complete);
        enc.Dispose();
        Assert.Equal(header, sink.Length);
    }
}
