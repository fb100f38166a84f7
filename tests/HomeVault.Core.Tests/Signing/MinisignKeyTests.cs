using System.Text;
using HomeVault.Core.Signing;

namespace HomeVault.Core.Tests.Signing;

public sealed class MinisignKeyTests
{
    private static readonly byte[] Manifest = "{\"release\":1}"u8.ToArray();

    [Fact]
    public void Sign_and_verify_span_round_trip()
    {
        using var key = MinisignKey.Create();
        var signature = key.Sign(Manifest, "release 1");

        Assert.Equal(MinisignSignatureAlgorithm.Prehashed, signature.Algorithm);
        Assert.Equal(key.KeyId, signature.KeyId);
        var result = key.PublicKey.Verify(Manifest, signature.ToFileText());
        Assert.True(result.IsValid, result.Message);
        Assert.Equal("release 1", result.TrustedComment);
    }

    [Fact]
    public async Task Stream_span_and_async_signatures_agree()
    {
        using var key = MinisignKey.Create();
        var data = new byte[300_000];
        new Random(7).NextBytes(data);

        var fromSpan = key.Sign(data, "c");
        using var s1 = new MemoryStream(data);
        var fromStream = key.Sign(s1, "c");
        using var s2 = new MemoryStream(data);
        var fromAsync = await key.SignAsync(s2, "c", cancellationToken: TestContext.Current.CancellationToken);

        // Ed25519 is deterministic, so the same hash and comment give the same bytes.
        Assert.Equal(fromSpan.ToFileText(), fromStream.ToFileText());
        Assert.Equal(fromSpan.ToFileText(), fromAsync.ToFileText());

        using var v = new MemoryStream(data);
        Assert.True((await key.PublicKey.VerifyAsync(v, fromSpan, TestContext.Current.CancellationToken)).IsValid);
    }

    [Fact]
    public void Signing_and_verifying_a_stream_use_constant_memory()
    {
        using var key = MinisignKey.Create();
        const long length = 256L * 1024 * 1024;
        using (var warmup = new ZeroStream(1024))
        {
            key.PublicKey.Verify(warmup, key.Sign(warmup, "warm-up"));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        using var toSign = new ZeroStream(length);
        var signature = key.Sign(toSign, "256 MiB");
        using var toVerify = new ZeroStream(length);
        var result = key.PublicKey.Verify(toVerify, signature);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(result.IsValid, result.Message);
        Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for 2 x {length} streamed bytes");
    }

    [Fact]
    public void Signature_file_text_has_minisign_layout()
    {
        using var key = MinisignKey.Create();
        var text = key.Sign(Manifest, "tc").ToFileText();
        var lines = text.Split('\n');

        Assert.Equal(5, lines.Length);
        Assert.Equal("untrusted comment: signature from minisign secret key", lines[0]);
        var blob = Convert.FromBase64String(lines[1]);
        Assert.Equal(74, blob.Length);
        Assert.Equal("ED", Encoding.ASCII.GetString(blob, 0, 2));
        Assert.Equal("trusted comment: tc", lines[2]);
        Assert.Equal(64, Convert.FromBase64String(lines[3]).Length);
        Assert.Equal("", lines[4]);
        Assert.Equal(text, MinisignSignature.Parse(text).ToFileText());
    }

    [Fact]
    public void Default_trusted_comment_is_minisigns_with_the_injected_clock()
    {
        using var key = MinisignKey.Create();
        key.TimeProvider = new HomeVault.Tests.ManualTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));

        Assert.Equal("timestamp:1700000000\thashed", key.Sign(Manifest).TrustedComment);
        Assert.Equal("timestamp:1700000000\tfile:a.json\thashed", key.DefaultTrustedComment("a.json"));

        var dir = HomeVault.Tests.TestEnv.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "manifest.json");
            File.WriteAllBytes(path, Manifest);
            Assert.Equal("timestamp:1700000000\tfile:manifest.json\thashed", key.SignFile(path).TrustedComment);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("a\nb")]
    [InlineData("a\rb")]
    [InlineData("a\0b")]
    public void Comments_with_line_breaks_are_rejected(string comment)
    {
        using var key = MinisignKey.Create();
        Assert.Throws<ArgumentException>(() => key.Sign(Manifest, comment));
        Assert.Throws<ArgumentException>(() => key.Sign(Manifest, "ok", comment));
        using var s = new MemoryStream(Manifest);
        Assert.Throws<ArgumentException>(() => key.Sign(s, comment));
    }

    [Fact]
    public void Overlong_comments_are_rejected()
    {
        using var key = MinisignKey.Create();
        Assert.Throws<ArgumentException>(() => key.Sign(Manifest, new string('x', 8174)));
        Assert.NotNull(key.Sign(Manifest, new string('x', 8173)));
        Assert.Throws<ArgumentException>(() => key.Sign(Manifest, "ok", new string('x', 1004)));
    }

    [Fact]
    public void Unicode_trusted_comment_round_trips()
    {
        using var key = MinisignKey.Create();
        var text = key.Sign(Manifest, "Überwachung – Fall 42 ✓").ToFileText();
        var result = key.PublicKey.Verify(Manifest, text);
        Assert.True(result.IsValid, result.Message);
        Assert.Equal("Überwachung – Fall 42 ✓", result.TrustedComment);
    }

    [Fact]
    public void Secret_key_export_is_off_by_default()
    {
        using var key = MinisignKey.Create();
        Assert.False(key.AllowsSecretKeyExport);
        Assert.Throws<InvalidOperationException>(() => key.ExportSecretKeyFile());
    }

    [Fact]
    public void Secret_key_file_round_trips_and_has_minisign_layout()
    {
        using var key = MinisignKey.Create(allowSecretKeyExport: true);
        var file = key.ExportSecretKeyFile();
        var lines = Encoding.UTF8.GetString(file).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("untrusted comment: ", lines[0], StringComparison.Ordinal);
        var blob = Convert.FromBase64String(lines[1]);
        Assert.Equal(158, blob.Length);
        Assert.Equal("Ed\0\0B2", Encoding.ASCII.GetString(blob, 0, 6));
        Assert.All(blob.AsSpan(6, 48).ToArray(), b => Assert.Equal(0, b)); // salt, opslimit, memlimit
        Assert.Equal(key.PublicKey.RawKey.ToArray(), blob.AsSpan(54 + 8 + 32, 32).ToArray());
        var checksum = NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash([.. "Ed"u8, .. blob.AsSpan(54, 72)]);
        Assert.Equal(checksum, blob.AsSpan(126, 32).ToArray());

        using var again = MinisignKey.ImportSecretKeyFile(file);
        Assert.Equal(key.KeyId, again.KeyId);
        Assert.Equal(key.PublicKey.ToBase64(), again.PublicKey.ToBase64());
        Assert.False(again.AllowsSecretKeyExport);
        Assert.True(key.PublicKey.Verify(Manifest, again.Sign(Manifest)).IsValid);
        Array.Clear(file);
    }

    [Fact]
    public void Secret_key_file_with_zero_checksum_is_accepted_like_minisign_W_writes_it()
    {
        using var key = MinisignKey.Create(allowSecretKeyExport: true);
        var blob = SecretBlob(key);
        blob.AsSpan(126, 32).Clear();
        using var imported = MinisignKey.ImportSecretKeyFile(SecretFile(blob));
        Assert.Equal(key.PublicKey.ToBase64(), imported.PublicKey.ToBase64());
    }

    [Fact]
    public void Corrupt_secret_key_files_are_rejected_with_a_reason()
    {
        using var key = MinisignKey.Create(allowSecretKeyExport: true);

        var badChecksum = SecretBlob(key);
        badChecksum[130] ^= 1;
        Assert.Contains("checksum mismatch", ImportError(SecretFile(badChecksum)), StringComparison.Ordinal);

        var badSeed = SecretBlob(key);
        badSeed[62] ^= 1;
        badSeed.AsSpan(126, 32).Clear(); // so the checksum does not catch it first
        Assert.Contains("does not match", ImportError(SecretFile(badSeed)), StringComparison.Ordinal);

        var encrypted = SecretBlob(key);
        encrypted[2] = (byte)'S';
        encrypted[3] = (byte)'c';
        Assert.Contains("password-encrypted", ImportError(SecretFile(encrypted)), StringComparison.Ordinal);

        var otherKdf = SecretBlob(key);
        otherKdf[2] = (byte)'X';
        Assert.Contains("key derivation", ImportError(SecretFile(otherKdf)), StringComparison.Ordinal);

        Assert.Contains("line 2 is not valid base64", ImportError("untrusted comment: x\nnot base64!\n"), StringComparison.Ordinal);
        Assert.Contains("decodes to", ImportError("untrusted comment: x\nRWQAAA==\n"), StringComparison.Ordinal);
        Assert.Contains("line 1", ImportError("hello\n" + Convert.ToBase64String(SecretBlob(key)) + "\n"), StringComparison.Ordinal);
        Assert.Contains("expected", ImportError(""), StringComparison.Ordinal);
    }

    [Fact]
    public void Disposed_key_refuses_to_sign()
    {
        var key = MinisignKey.Create(allowSecretKeyExport: true);
        key.Dispose();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign(Manifest));
        Assert.Throws<ObjectDisposedException>(() => key.ExportSecretKeyFile());
    }

    [Fact]
    public void Null_arguments_throw()
    {
        using var key = MinisignKey.Create();
        Assert.Throws<ArgumentNullException>(() => key.Sign((Stream)null!));
        Assert.Throws<ArgumentNullException>(() => key.PublicKey.Verify(Manifest, (MinisignSignature)null!));
        Assert.Throws<ArgumentNullException>(() => key.PublicKey.Verify(Manifest, (string)null!));
        Assert.Throws<ArgumentNullException>(() => MinisignPublicKey.Parse(null!));
        Assert.Throws<ArgumentNullException>(() => MinisignSignature.Parse((string)null!));
    }

    [Fact]
    public void Key_ids_are_random()
    {
        using var a = MinisignKey.Create();
        using var b = MinisignKey.Create();
        Assert.NotEqual(a.KeyId, b.KeyId);
    }

    internal static byte[] SecretBlob(MinisignKey key)
    {
        var text = Encoding.UTF8.GetString(key.ExportSecretKeyFile());
        return Convert.FromBase64String(text.Split('\n')[1]);
    }

    internal static string SecretFile(byte[] blob) => $"untrusted comment: test\n{Convert.ToBase64String(blob)}\n";

    private static string ImportError(string text) =>
        Assert.Throws<FormatException>(() => MinisignKey.ImportSecretKeyFile(text).Dispose()).Message;
}
