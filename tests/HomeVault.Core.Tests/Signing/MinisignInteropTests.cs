using System.Text;
using HomeVault.Core.Signing;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Signing;

/// <summary>Both directions against the real /usr/bin/minisign: its keys and signatures in, ours out.</summary>
public sealed class MinisignInteropTests : IDisposable
{
    private readonly string _dir = TestEnv.NewTempDir("hv-minisign");
    private readonly string _minisign = TestEnv.Tool("minisign");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // ---- HomeVault signs, minisign verifies ----

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(5 * 1024 * 1024 + 17)]
    public void Minisign_verifies_our_file_signatures(int size)
    {
        using var key = MinisignKey.Create();
        var pub = Write("key.pub", key.PublicKey.ToFileText());
        var file = WriteBytes($"clip-{size}.bin", RandomBytes(size));
        var signature = key.SignFile(file);
        File.WriteAllText(file + ".minisig", signature.ToFileText());

        var (exit, stdout, stderr) = Minisign("-V", "-p", pub, "-m", file);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"Trusted comment: {signature.TrustedComment}", stdout, StringComparison.Ordinal);
        Assert.Matches($"^timestamp:\\d+\\tfile:clip-{size}\\.bin\\thashed$", signature.TrustedComment);
    }

    [Fact]
    public void Minisign_verifies_our_stream_signature_with_custom_comments()
    {
        using var key = MinisignKey.Create();
        var data = RandomBytes(3 * 1024 * 1024);
        var file = WriteBytes("manifest.json", data);
        using var stream = new MemoryStream(data);
        var signature = key.Sign(stream, "release r-17 approved by owner A", "HomeVault release manifest");
        var sig = Write("manifest.json.ownerA.minisig", signature.ToFileText());

        var (exit, stdout, stderr) = Minisign("-V", "-P", key.PublicKey.ToBase64(), "-m", file, "-x", sig);

        Assert.True(exit == 0, stderr);
        Assert.Contains("Trusted comment: release r-17 approved by owner A", stdout, StringComparison.Ordinal);
        Assert.StartsWith("untrusted comment: HomeVault release manifest\n", File.ReadAllText(sig), StringComparison.Ordinal);
    }

    [Fact]
    public void Minisign_rejects_our_signature_when_tampered()
    {
        using var key = MinisignKey.Create();
        var pub = Write("key.pub", key.PublicKey.ToFileText());
        var file = WriteBytes("m.bin", RandomBytes(1000));
        var text = key.SignFile(file, "original").ToFileText();

        Write("m.bin.minisig", text.Replace("trusted comment: original", "trusted comment: forged", StringComparison.Ordinal));
        Assert.NotEqual(0, Minisign("-V", "-p", pub, "-m", file).Exit);

        Write("m.bin.minisig", text);
        WriteBytes("m.bin", RandomBytes(1000));
        Assert.NotEqual(0, Minisign("-V", "-p", pub, "-m", file).Exit);
    }

    // ---- minisign signs, HomeVault verifies ----

    [Fact]
    public void We_verify_minisign_prehashed_signatures()
    {
        var (pub, sec) = MinisignKeyPair();
        var data = RandomBytes(2 * 1024 * 1024 + 3);
        var file = WriteBytes("data.bin", data);
        Assert.Equal(0, Minisign("-S", "-s", sec, "-m", file, "-t", "owner approval #9").Exit);

        var key = MinisignPublicKey.Parse(File.ReadAllText(pub));
        var signature = MinisignSignature.Parse(File.ReadAllText(file + ".minisig"));
        Assert.Equal(MinisignSignatureAlgorithm.Prehashed, signature.Algorithm);

        var fromSpan = key.Verify(data, signature);
        Assert.True(fromSpan.IsValid, fromSpan.Message);
        Assert.Equal("owner approval #9", fromSpan.TrustedComment);
        using var stream = File.OpenRead(file);
        Assert.True(key.Verify(stream, signature).IsValid);
    }

    [Fact]
    public void We_verify_minisign_default_comment_and_empty_file()
    {
        var (pub, sec) = MinisignKeyPair();
        var file = WriteBytes("empty", []);
        Assert.Equal(0, Minisign("-S", "-s", sec, "-m", file).Exit);

        var result = MinisignPublicKey.Parse(File.ReadAllText(pub)).Verify([], File.ReadAllText(file + ".minisig"));
        Assert.True(result.IsValid, result.Message);
        Assert.Matches(@"^timestamp:\d+\tfile:empty\thashed$", result.TrustedComment!);
    }

    [Fact]
    public async Task We_verify_minisign_legacy_signatures()
    {
        var (pub, sec) = MinisignKeyPair();
        var data = RandomBytes(100_000);
        var file = WriteBytes("legacy.bin", data);
        var sig = Path.Combine(_dir, "legacy.sig");
        Assert.Equal(0, Minisign("-S", "-l", "-s", sec, "-m", file, "-x", sig, "-t", "legacy").Exit);

        var key = MinisignPublicKey.Parse(File.ReadAllText(pub));
        var signature = MinisignSignature.Parse(File.ReadAllText(sig));
        Assert.Equal(MinisignSignatureAlgorithm.Legacy, signature.Algorithm);
        Assert.True(key.Verify(data, signature).IsValid);
        using (var stream = File.OpenRead(file))
        {
            Assert.True(key.Verify(stream, signature).IsValid);
        }
        await using (var stream = File.OpenRead(file))
        {
            Assert.True((await key.VerifyAsync(stream, signature, TestContext.Current.CancellationToken)).IsValid);
        }
        data[0] ^= 1;
        Assert.Equal(MinisignFailureReason.InvalidSignature, key.Verify(data, signature).Reason);
    }

    [Fact]
    public void Legacy_stream_over_the_cap_is_a_result_not_a_crash()
    {
        var (pub, sec) = MinisignKeyPair();
        var file = WriteBytes("small", RandomBytes(10));
        var sig = Path.Combine(_dir, "small.sig");
        Assert.Equal(0, Minisign("-S", "-l", "-s", sec, "-m", file, "-x", sig).Exit);
        var key = MinisignPublicKey.Parse(File.ReadAllText(pub));

        using var huge = new ZeroStream(MinisignPublicKey.LegacyStreamLimit + 1L);
        var result = key.Verify(huge, MinisignSignature.Parse(File.ReadAllText(sig)));

        Assert.False(result.IsValid);
        Assert.Equal(MinisignFailureReason.LegacyMessageTooLarge, result.Reason);
    }

    [Fact]
    public void Tampered_minisign_signatures_fail_with_the_right_reason()
    {
        var (pub, sec) = MinisignKeyPair();
        var (otherPub, _) = MinisignKeyPair("other");
        var data = RandomBytes(5000);
        var file = WriteBytes("t.bin", data);
        Assert.Equal(0, Minisign("-S", "-s", sec, "-m", file, "-t", "genuine").Exit);
        var text = File.ReadAllText(file + ".minisig");
        var key = MinisignPublicKey.Parse(File.ReadAllText(pub));
        Assert.True(key.Verify(data, text).IsValid);

        var changed = (byte[])data.Clone();
        changed[^1] ^= 0x40;
        Assert.Equal(MinisignFailureReason.InvalidSignature, key.Verify(changed, text).Reason);

        var forgedComment = text.Replace("trusted comment: genuine", "trusted comment: genuinf", StringComparison.Ordinal);
        Assert.Equal(MinisignFailureReason.InvalidTrustedComment, key.Verify(data, forgedComment).Reason);

        var other = MinisignPublicKey.Parse(File.ReadAllText(otherPub));
        var wrongId = other.Verify(data, text);
        Assert.Equal(MinisignFailureReason.KeyIdMismatch, wrongId.Reason);
        Assert.Contains(key.KeyId.ToString(), wrongId.Message, StringComparison.Ordinal);

        // The other key's bytes under our key id: the id matches, the key does not.
        var wrongKeyBlob = Convert.FromBase64String(other.ToBase64());
        key.KeyId.CopyTo(wrongKeyBlob.AsSpan(2));
        var wrongKey = MinisignPublicKey.Parse(Convert.ToBase64String(wrongKeyBlob));
        Assert.Equal(MinisignFailureReason.InvalidSignature, wrongKey.Verify(data, text).Reason);

        var lines = text.Split('\n');
        lines[1] = lines[1][..40];
        var truncated = wrongKey.Verify(data, string.Join('\n', lines));
        Assert.Equal(MinisignFailureReason.MalformedSignature, truncated.Reason);
        Assert.Contains("signature file: line 2", truncated.Message, StringComparison.Ordinal);

        lines = text.Split('\n');
        lines[3] = lines[3][..^4];
        Assert.Equal(MinisignFailureReason.MalformedSignature, key.Verify(data, string.Join('\n', lines)).Reason);
    }

    // ---- secret key files both ways ----

    [Fact]
    public void Minisign_signs_with_our_exported_secret_key_file()
    {
        using var key = MinisignKey.Create(allowSecretKeyExport: true);
        var secretFile = key.ExportSecretKeyFile();
        var sec = WriteBytes("owner.key", secretFile);
        Array.Clear(secretFile);
        var file = WriteBytes("release.json", RandomBytes(70_000));

        var sign = Minisign("-S", "-s", sec, "-m", file, "-t", "signed by stock minisign");
        Assert.True(sign.Exit == 0, sign.Stderr);

        var result = key.PublicKey.Verify(File.ReadAllBytes(file), File.ReadAllText(file + ".minisig"));
        Assert.True(result.IsValid, result.Message);
        Assert.Equal("signed by stock minisign", result.TrustedComment);

        // minisign -R derives the public key file from our secret key file: byte for byte what we write.
        var recreated = Path.Combine(_dir, "recreated.pub");
        Assert.Equal(0, Minisign("-R", "-s", sec, "-p", recreated).Exit);
        Assert.Equal(key.PublicKey.ToFileText(), File.ReadAllText(recreated));
    }

    [Fact]
    public void We_sign_with_a_minisign_written_unencrypted_secret_key()
    {
        // Key ids with a leading zero nibble show whether the comment's hex is padded (1 in 16 keys): try until one comes up.
        string pub, sec;
        var attempt = 0;
        do
        {
            (pub, sec) = MinisignKeyPair($"mk{attempt++}");
        }
        while (MinisignPublicKey.Parse(File.ReadAllText(pub)).KeyId.Value >= 1UL << 60 && attempt < 64);
        using var key = MinisignKey.ImportSecretKeyFile(File.ReadAllText(sec));

        // Our public key file text is byte for byte minisign's.
        Assert.Equal(File.ReadAllText(pub), key.PublicKey.ToFileText());

        var file = WriteBytes("clip.mp4", RandomBytes(1_000_000));
        File.WriteAllText(file + ".minisig", key.SignFile(file).ToFileText());
        var (exit, _, stderr) = Minisign("-V", "-p", pub, "-m", file);
        Assert.True(exit == 0, stderr);
    }

    [Fact]
    public void Our_reexport_of_a_minisign_key_still_works_with_minisign()
    {
        var (pub, sec) = MinisignKeyPair();
        using var key = MinisignKey.ImportSecretKeyFile(File.ReadAllBytes(sec), allowSecretKeyExport: true);
        var ours = WriteBytes("reexported.key", key.ExportSecretKeyFile());
        var file = WriteBytes("x", RandomBytes(10));
        Assert.Equal(0, Minisign("-S", "-s", ours, "-m", file).Exit);
        Assert.Equal(0, Minisign("-V", "-p", pub, "-m", file).Exit);
    }

    [Fact]
    public void Password_protected_minisign_key_is_refused_clearly()
    {
        var pub = Path.Combine(_dir, "enc.pub");
        var sec = Path.Combine(_dir, "enc.key");
        var gen = TestEnv.Run(_minisign, ["-G", "-p", pub, "-s", sec], Encoding.ASCII.GetBytes("pw\npw\n"));
        Assert.True(gen.Exit == 0, gen.Stderr);

        var error = Assert.Throws<FormatException>(() => MinisignKey.ImportSecretKeyFile(File.ReadAllText(sec)));
        Assert.Contains("password-encrypted", error.Message, StringComparison.Ordinal);
        // The public key of an encrypted key pair is still usable.
        Assert.NotNull(MinisignPublicKey.Parse(File.ReadAllText(pub)));
    }

    private (string Pub, string Sec) MinisignKeyPair(string name = "mk")
    {
        var pub = Path.Combine(_dir, name + ".pub");
        var sec = Path.Combine(_dir, name + ".key");
        var gen = Minisign("-G", "-W", "-p", pub, "-s", sec);
        Assert.True(gen.Exit == 0, gen.Stderr);
        return (pub, sec);
    }

    private (int Exit, string Stdout, string Stderr) Minisign(params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.Run(_minisign, args);
        return (exit, Encoding.UTF8.GetString(stdout), stderr);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] RandomBytes(int n)
    {
        var b = new byte[n];
        Random.Shared.NextBytes(b);
        return b;
    }
}
