using HomeVault.Core.Vault;
using static HomeVault.Core.Tests.Vault.VaultTestFiles;

namespace HomeVault.Core.Tests.Vault;

/// <summary>
/// Random access gives exactly the sequential reader's plaintext at any position, and refuses every damage the
/// sequential reader refuses, without releasing a byte of the chunk that fails.
/// </summary>
public sealed class RandomAccessTests : IDisposable
{
    private readonly X25519Identity _id = X25519Identity.Generate();

    public void Dispose() => _id.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData((3 * Chunk) + 1000)]
    [InlineData(4 * Chunk)]
    public void Every_range_reads_what_the_sequential_reader_releases(int size)
    {
        var plain = Random(size);
        var file = Encrypt(plain, [_id.Recipient]);
        Assert.Equal(plain, Decrypt(file, _id).Released);
        using var reader = AgeRandomAccessReader.Open(new MemoryStream(file), [_id]);
        Assert.Equal(size, reader.Length);
        long[] starts = [0, 1, Chunk - 1, Chunk, Chunk + 7, (2 * Chunk) - 3, size - 1, size];
        foreach (var start in starts.Where(s => s >= 0 && s <= size))
        {
            foreach (var length in new[] { 1, 100, Chunk, (2 * Chunk) + 5 })
            {
                var want = plain.AsSpan((int)start, (int)Math.Min(length, size - start)).ToArray();
                Assert.Equal(want, ReadRange(reader, start, length));
            }
        }
    }

    [Fact]
    public void A_flipped_bit_fails_its_chunk_only_and_releases_none_of_it()
    {
        var plain = Random((3 * Chunk) + 1000);
        var file = Encrypt(plain, [_id.Recipient]);
        file[PayloadStart(file) + EncChunk + 10] ^= 1; // inside chunk 1
        using var reader = AgeRandomAccessReader.Open(new MemoryStream(file), [_id]);
        Assert.Equal(plain.AsSpan(0, Chunk).ToArray(), ReadRange(reader, 0, Chunk));
        Assert.Equal(plain.AsSpan(2 * Chunk).ToArray(), ReadRange(reader, 2 * Chunk, plain.Length));
        var buffer = new byte[Chunk];
        var e = Assert.Throws<AgeException>(() => reader.Read(Chunk + 5, buffer));
        Assert.Equal(AgeErrorKind.PayloadCorrupt, e.Kind);
        Assert.All(buffer, b => Assert.Equal(0, b));
        // Nothing of the bad chunk is held either: reading it again fails again.
        Assert.Throws<AgeException>(() => reader.Read(Chunk, buffer));
    }

    [Fact]
    public void Truncation_and_trailing_data_are_refused_where_they_are()
    {
        var plain = Random((3 * Chunk) + 1000);
        var file = Encrypt(plain, [_id.Recipient]);
        var start = PayloadStart(file);
        var buffer = new byte[Chunk];

        // Cut after two whole chunks: the second is not the final one.
        using (var cut = AgeRandomAccessReader.Open(new MemoryStream(file[..(start + (2 * EncChunk))]), [_id]))
        {
            Assert.Equal(AgeErrorKind.Truncated, Assert.Throws<AgeException>(() => cut.Read(Chunk, buffer)).Kind);
            Assert.Equal(AgeErrorKind.Truncated, Decrypt(file[..(start + (2 * EncChunk))], _id).Error?.Kind);
        }
        // Cut inside the last chunk.
        using (var cut = AgeRandomAccessReader.Open(new MemoryStream(file[..^10]), [_id]))
        {
            Assert.Equal(AgeErrorKind.PayloadCorrupt, Assert.Throws<AgeException>(() => cut.Read(cut.Length - 1, buffer)).Kind);
        }
        // A whole-chunk file with data after its final chunk.
        var whole = Encrypt(Random(Chunk), [_id.Recipient]);
        var trailing = whole.Concat(new byte[100]).ToArray();
        using (var extra = AgeRandomAccessReader.Open(new MemoryStream(trailing), [_id]))
        {
            Assert.Equal(AgeErrorKind.TrailingData, Assert.Throws<AgeException>(() => extra.Read(0, buffer)).Kind);
        }
        Assert.Equal(AgeErrorKind.TrailingData, Decrypt(trailing, _id).Error?.Kind);
        // No payload at all, and an empty final chunk after a full one.
        Assert.Equal(AgeErrorKind.Truncated, Assert.Throws<AgeException>(() => AgeRandomAccessReader.Open(new MemoryStream(file[..start]), [_id])).Kind);
        var empty = whole.Concat(new byte[16]).ToArray();
        Assert.Equal(AgeErrorKind.PayloadCorrupt, Assert.Throws<AgeException>(() => AgeRandomAccessReader.Open(new MemoryStream(empty), [_id])).Kind);
    }

    [Fact]
    public void The_header_is_opened_as_the_sequential_reader_opens_it()
    {
        var file = Encrypt(Random(100), [_id.Recipient]);
        using var other = X25519Identity.Generate();
        Assert.Equal(AgeErrorKind.NoIdentityMatched, Assert.Throws<AgeException>(() => AgeRandomAccessReader.Open(new MemoryStream(file), [other])).Kind);
        var armored = Encrypt(Random(100), [_id.Recipient], armor: true);
        Assert.Equal(AgeErrorKind.InvalidArmor, Assert.Throws<AgeException>(() => AgeRandomAccessReader.Open(new MemoryStream(armored), [_id])).Kind);
    }

    private static byte[] ReadRange(AgeRandomAccessReader reader, long start, int length)
    {
        var result = new MemoryStream();
        var buffer = new byte[4096];
        var position = start;
        while (result.Length < length)
        {
            var n = reader.Read(position, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - result.Length)));
            if (n == 0)
            {
                break;
            }
            result.Write(buffer, 0, n);
            position += n;
        }
        return result.ToArray();
    }
}
