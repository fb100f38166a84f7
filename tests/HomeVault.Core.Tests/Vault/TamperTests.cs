using System.Text;
using HomeVault.Core.Vault;
using static HomeVault.Core.Tests.Vault.VaultTestFiles;

namespace HomeVault.Core.Tests.Vault;

/// <summary>Damage of every kind gives a specific error and never releases unauthenticated plaintext.</summary>
public sealed class TamperTests : IDisposable
{
    private readonly X25519Identity _id = X25519Identity.Generate();
    private readonly byte[] _plain = Random(3 * Chunk + 1000); // four chunks, the last short
    private readonly byte[] _file;
    private readonly int _start;

    public TamperTests()
    {
        _file = Encrypt(_plain, [_id.Recipient]);
        _start = PayloadStart(_file);
    }

    public void Dispose() => _id.Dispose();

    private byte[] Prefix(int chunks) => _plain.AsSpan(0, chunks * Chunk).ToArray();

    [Fact]
    public void Intact_file_decrypts()
    {
        var (released, error) = Decrypt(_file, _id);
        Assert.Null(error);
        Assert.Equal(_plain, released);
    }

    [Fact]
    public void Bit_flip_in_header_mac_is_a_mac_mismatch()
    {
        var text = Encoding.Latin1.GetString(_file, 0, _start - 16);
        var macAt = text.IndexOf("\n--- ", StringComparison.Ordinal) + 5;
        var mac = Convert.FromBase64String(string.Concat(text.AsSpan(macAt, 43), "="));
        mac[7] ^= 0x10;
        var forged = (byte[])_file.Clone();
        Encoding.ASCII.GetBytes(Convert.ToBase64String(mac)[..43]).CopyTo(forged, macAt);
        var (released, error) = Decrypt(forged, _id);
        Assert.Equal(AgeErrorKind.HeaderMacMismatch, error?.Kind);
        Assert.Empty(released);
    }

    [Fact]
    public void Added_stanza_breaks_the_header_mac()
    {
        var text = Encoding.Latin1.GetString(_file, 0, _start - 16);
        var insertAt = text.IndexOf("\n---", StringComparison.Ordinal) + 1;
        var forged = _file[..insertAt].Concat("-> grease x\nAAAA\n"u8.ToArray()).Concat(_file[insertAt..]).ToArray();
        Assert.Equal(AgeErrorKind.HeaderMacMismatch, Decrypt(forged, _id).Error?.Kind);
    }

    [Fact]
    public void Bit_flip_in_wrapped_key_or_share_means_no_match_and_bad_syntax_is_a_header_error()
    {
        var text = Encoding.Latin1.GetString(_file, 0, _start - 16);
        var shareAt = text.IndexOf("X25519 ", StringComparison.Ordinal) + 7;
        var forged = (byte[])_file.Clone();
        forged[shareAt + 3] = (byte)(forged[shareAt + 3] == 'A' ? 'B' : 'A');
        Assert.Equal(AgeErrorKind.NoIdentityMatched, Decrypt(forged, _id).Error?.Kind);
        forged = (byte[])_file.Clone();
        forged[shareAt - 3] = (byte)'9'; // "X25519" → "X25599": not our stanza type
        Assert.Equal(AgeErrorKind.NoIdentityMatched, Decrypt(forged, _id).Error?.Kind);
        forged = (byte[])_file.Clone();
        forged[0] = (byte)'A';
        Assert.Equal(AgeErrorKind.InvalidHeader, Decrypt(forged, _id).Error?.Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Bit_flip_in_each_chunk_releases_only_the_chunks_before_it(int chunk)
    {
        var forged = (byte[])_file.Clone();
        forged[_start + chunk * EncChunk + 500] ^= 0x01;
        var (released, error) = Decrypt(forged, _id);
        Assert.Equal(AgeErrorKind.PayloadCorrupt, error?.Kind);
        Assert.Equal(Prefix(chunk), released);
    }

    [Theory]
    [InlineData(0, AgeErrorKind.Truncated)]      // nothing after the nonce
    [InlineData(1, AgeErrorKind.Truncated)]      // cut at a chunk boundary
    [InlineData(3, AgeErrorKind.Truncated)]
    public void Truncation_at_chunk_boundaries_is_reported_as_truncation(int chunks, AgeErrorKind kind)
    {
        var (released, error) = Decrypt(_file[..(_start + chunks * EncChunk)], _id);
        Assert.Equal(kind, error?.Kind);
        Assert.Equal(Prefix(chunks), released);
    }

    [Theory]
    [InlineData(-1)]  // inside the nonce
    [InlineData(10)]  // inside the first chunk
    [InlineData(EncChunk + 40000)]
    [InlineData(3 * EncChunk + 500)] // inside the short final chunk
    public void Truncation_inside_a_chunk_or_nonce_fails_without_releasing_the_cut_chunk(int at)
    {
        var (released, error) = Decrypt(_file[..(_start + at)], _id);
        Assert.NotNull(error);
        Assert.Equal(at < 0 ? AgeErrorKind.InvalidHeader : AgeErrorKind.PayloadCorrupt, error!.Kind);
        Assert.Equal(Prefix(Math.Max(0, at) / EncChunk), released);
    }

    [Fact]
    public void Reordered_chunks_fail_at_the_first_swapped_chunk()
    {
        var forged = (byte[])_file.Clone();
        Array.Copy(_file, _start + EncChunk, forged, _start + 2 * EncChunk, EncChunk);
        Array.Copy(_file, _start + 2 * EncChunk, forged, _start + EncChunk, EncChunk);
        var (released, error) = Decrypt(forged, _id);
        Assert.Equal(AgeErrorKind.PayloadCorrupt, error?.Kind);
        Assert.Equal(Prefix(1), released);
    }

    [Fact]
    public void Dropping_a_whole_chunk_is_detected()
    {
        var forged = _file[..(_start + EncChunk)].Concat(_file[(_start + 2 * EncChunk)..]).ToArray();
        var (released, error) = Decrypt(forged, _id);
        Assert.Equal(AgeErrorKind.PayloadCorrupt, error?.Kind);
        Assert.Equal(Prefix(1), released);
    }

    [Fact]
    public void Wrong_key_is_no_match_and_releases_nothing()
    {
        using var other = X25519Identity.Generate();
        var (released, error) = Decrypt(_file, other);
        Assert.Equal(AgeErrorKind.NoIdentityMatched, error?.Kind);
        Assert.Empty(released);
    }

    [Fact]
    public void Trailing_garbage_is_reported_after_the_authenticated_final_chunk()
    {
        // After a short final chunk, garbage just makes that chunk fail authentication.
        var (releasedShort, errorShort) = Decrypt([.. _file, 0x00], _id);
        Assert.Equal(AgeErrorKind.PayloadCorrupt, errorShort?.Kind);
        Assert.Equal(Prefix(3), releasedShort);

        // After a full-size final chunk, it is detected as trailing data.
        var plain = Random(2 * Chunk);
        var file = Encrypt(plain, [_id.Recipient]);
        var (released, error) = Decrypt([.. file, 0x00], _id);
        Assert.Equal(AgeErrorKind.TrailingData, error?.Kind);
        Assert.Equal(plain, released);
        var result = Age.Salvage(new MemoryStream([.. file, 1, 2, 3]), Stream.Null, [_id]);
        Assert.False(result.Complete);
        Assert.Equal(AgeErrorKind.TrailingData, result.Failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void Salvage_recovers_exactly_the_authenticated_prefix(int fullChunks)
    {
        foreach (var extra in new[] { 0, 500 }) // cut at a boundary, or mid-chunk (torn write)
        {
            var cut = _file[..(_start + fullChunks * EncChunk + extra)];
            var output = new MemoryStream();
            var result = Age.Salvage(new MemoryStream(cut), output, [_id]);
            Assert.False(result.Complete);
            Assert.Equal(fullChunks, result.ChunksRecovered);
            Assert.Equal(fullChunks * (long)Chunk, result.BytesRecovered);
            Assert.Equal(Prefix(fullChunks), output.ToArray());
            Assert.NotNull(result.Message);
        }
        var whole = Age.Salvage(new MemoryStream(_file), Stream.Null, [_id]);
        Assert.True(whole.Complete);
        Assert.Equal(_plain.Length, whole.BytesRecovered);
        Assert.Equal(4, whole.ChunksRecovered);
        Assert.Null(whole.Failure);
    }

    [Fact]
    public void Salvage_still_refuses_a_bad_header()
    {
        var forged = (byte[])_file.Clone();
        forged[3] = (byte)'X';
        Assert.Throws<AgeException>(() => Age.Salvage(new MemoryStream(forged), Stream.Null, [_id]));
    }
}
