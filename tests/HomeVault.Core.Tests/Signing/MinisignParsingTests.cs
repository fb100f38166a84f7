using HomeVault.Core.Signing;

namespace HomeVault.Core.Tests.Signing;

public sealed class MinisignParsingTests
{
    private const string Pk = MinisignKnownAnswerTests.PublicKey;

    [Fact]
    public void Public_key_parses_from_bare_line_and_from_file_text()
    {
        var bare = MinisignPublicKey.Parse(Pk);
        var file = MinisignPublicKey.Parse($"untrusted comment: minisign public key E7620F1842B4E81F\n{Pk}\n");
        var crlf = MinisignPublicKey.Parse($"untrusted comment: minisign public key E7620F1842B4E81F\r\n{Pk}\r\n");

        Assert.Equal(bare.ToBase64(), file.ToBase64());
        Assert.Equal(bare.ToBase64(), crlf.ToBase64());
        Assert.Equal($"untrusted comment: minisign public key E7620F1842B4E81F\n{Pk}\n", bare.ToFileText());
    }

    [Fact]
    public void Public_key_file_comment_has_unpadded_key_id_like_minisign_0_11()
    {
        var blob = Convert.FromBase64String(Pk);
        new MinisignKeyId(0x0000_00AB_CDEF_0123).CopyTo(blob.AsSpan(2));
        var key = MinisignPublicKey.Parse(Convert.ToBase64String(blob));

        Assert.StartsWith("untrusted comment: minisign public key ABCDEF0123\n", key.ToFileText(), StringComparison.Ordinal);
        Assert.Equal("000000ABCDEF0123", key.KeyId.ToString());
    }

    [Theory]
    [InlineData("", "public key")]
    [InlineData("RWQf6LRC!!", "public key is not valid base64")]
    [InlineData("RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GA==", "decodes to 40 bytes, expected 42")]
    [InlineData("hello\nRWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3", "expected one base64 line")]
    [InlineData("untrusted comment: x\nno!pe", "public key file: line 2 is not valid base64")]
    public void Malformed_public_keys_name_the_problem(string text, string expected)
    {
        Assert.False(MinisignPublicKey.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(expected, Assert.Throws<FormatException>(() => MinisignPublicKey.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Public_key_with_another_algorithm_is_rejected()
    {
        var blob = Convert.FromBase64String(Pk);
        blob[1] = (byte)'D';
        Assert.Contains("unsupported signature algorithm", Assert.Throws<FormatException>(() => MinisignPublicKey.Parse(Convert.ToBase64String(blob))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_parses_with_crlf_and_without_final_newline()
    {
        var text = MinisignKnownAnswerTests.SignatureText();
        var key = MinisignPublicKey.Parse(Pk);
        Assert.True(key.Verify(MinisignKnownAnswerTests.Message, text.Replace("\n", "\r\n", StringComparison.Ordinal)).IsValid);
        Assert.True(key.Verify(MinisignKnownAnswerTests.Message, text.TrimEnd('\n')).IsValid);
    }

    [Theory]
    [InlineData(1, "line 1 does not start with \"untrusted comment: \"")]
    [InlineData(2, "signature file: line 2 is not valid base64")]
    [InlineData(3, "line 3 does not start with \"trusted comment: \"")]
    [InlineData(4, "signature file: line 4 is not valid base64")]
    public void Malformed_signature_lines_are_named(int line, string expected)
    {
        var lines = MinisignKnownAnswerTests.SignatureText().Split('\n');
        lines[line - 1] = line switch
        {
            1 => "comment: x",
            3 => "comment: y",
            _ => lines[line - 1][..^5], // truncated base64
        };
        var result = MinisignPublicKey.Parse(Pk).Verify(MinisignKnownAnswerTests.Message, string.Join('\n', lines));

        Assert.False(result.IsValid);
        Assert.Equal(MinisignFailureReason.MalformedSignature, result.Reason);
        Assert.Contains(expected, result.Message, StringComparison.Ordinal);
        Assert.Null(result.KeyId);
    }

    [Fact]
    public void Other_signature_shape_errors_are_named()
    {
        Assert.Contains("expected 4 lines, got 2", Error("untrusted comment: a\nb\n"));
        Assert.Contains("unexpected text on line 5", Error(MinisignKnownAnswerTests.SignatureText() + "extra\n"));
        var shortBlob = Convert.ToBase64String(new byte[73]);
        Assert.Contains("line 2 decodes to 73 bytes, expected 74", Error(MinisignKnownAnswerTests.SignatureText(sigLine: shortBlob)));
        var badAlg = Convert.FromBase64String(MinisignKnownAnswerTests.SignatureLine);
        badAlg[0] = (byte)'X';
        Assert.Contains("unsupported signature algorithm", Error(MinisignKnownAnswerTests.SignatureText(sigLine: Convert.ToBase64String(badAlg))));
        // minisign (libsodium) rejects whitespace inside or around the base64; the BCL decoder would skip it.
        Assert.Contains("line 2 is not valid base64", Error(MinisignKnownAnswerTests.SignatureText(sigLine: " " + MinisignKnownAnswerTests.SignatureLine)));
        Assert.Contains("line 2 is not valid base64", Error(MinisignKnownAnswerTests.SignatureText(sigLine: MinisignKnownAnswerTests.SignatureLine + " ")));
        Assert.Contains("line 4 is not valid base64", Error(MinisignKnownAnswerTests.SignatureText(global: MinisignKnownAnswerTests.GlobalSignature.Insert(10, "\t"))));

        static string Error(string text)
        {
            Assert.False(MinisignSignature.TryParse(text, out _, out var error));
            return error;
        }
    }

    [Fact]
    public void Parsed_signature_exposes_its_fields()
    {
        var sig = MinisignSignature.Parse(MinisignKnownAnswerTests.SignatureText());
        Assert.Equal(MinisignSignatureAlgorithm.Prehashed, sig.Algorithm);
        Assert.Equal("E7620F1842B4E81F", sig.KeyId.ToString());
        Assert.Equal(MinisignKnownAnswerTests.TrustedComment, sig.TrustedComment);
        Assert.Equal("signature from minisign secret key", sig.UntrustedComment);
        Assert.Equal(64, sig.Signature.Length);
        Assert.Equal(64, sig.GlobalSignature.Length);
    }

    [Fact]
    public void Signature_parses_from_bytes_and_refuses_invalid_utf8()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(MinisignKnownAnswerTests.SignatureText());
        var key = MinisignPublicKey.Parse(Pk);
        Assert.True(key.Verify(MinisignKnownAnswerTests.Message, MinisignSignature.Parse(bytes)).IsValid);

        var bad = (byte[])bytes.Clone();
        bad[Array.IndexOf(bad, (byte)'t', 130)] = 0xff; // inside the trusted comment line
        Assert.False(MinisignSignature.TryParse(bad, out _, out var error));
        Assert.Contains("not valid UTF-8", error, StringComparison.Ordinal);
    }
}
