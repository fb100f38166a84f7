using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace HomeVault.Core.Signing;

/// <summary>
/// A parsed minisign signature file:
/// <code>
/// untrusted comment: &lt;text&gt;
/// base64(sig_alg(2) || key_id(8) || ed25519_sig(64))
/// trusted comment: &lt;text&gt;
/// base64(ed25519(ed25519_sig || trusted_comment))
/// </code>
/// Parsing checks the shape only; whether it verifies is <see cref="MinisignPublicKey.Verify(ReadOnlySpan{byte}, MinisignSignature)"/>'s job.
/// </summary>
public sealed class MinisignSignature
{
    internal const int SignatureSize = 64;
    private const int BlobSize = 2 + MinisignKeyId.Size + SignatureSize;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _signature;
    private readonly byte[] _globalSignature;

    internal MinisignSignature(MinisignSignatureAlgorithm algorithm, MinisignKeyId keyId, byte[] signature, string trustedComment, byte[] globalSignature, string untrustedComment)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        _signature = signature;
        TrustedComment = trustedComment;
        _globalSignature = globalSignature;
        UntrustedComment = untrustedComment;
    }

    public MinisignSignatureAlgorithm Algorithm { get; }

    public MinisignKeyId KeyId { get; }

    /// <summary>Not verified until <see cref="MinisignPublicKey.Verify(ReadOnlySpan{byte}, MinisignSignature)"/> says so.</summary>
    public string TrustedComment { get; }

    /// <summary>Free text anyone can change; never show it as if it were signed.</summary>
    public string UntrustedComment { get; }

    /// <summary>The 64-byte Ed25519 signature over the message (or its BLAKE2b-512 hash).</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>The 64-byte Ed25519 signature over <see cref="Signature"/> followed by the trusted comment.</summary>
    public ReadOnlyMemory<byte> GlobalSignature => _globalSignature;

    /// <summary>Parses signature file text; throws <see cref="FormatException"/> naming the line at fault.</summary>
    public static MinisignSignature Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseCore(text);
    }

    /// <summary>Parses signature file text; on failure returns false with a one-line reason.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out MinisignSignature? signature, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            signature = ParseCore(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            signature = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>
    /// Parses signature file bytes. Prefer this to decoding the file yourself: bytes that are not UTF-8 would be
    /// replaced silently by a lenient decoder, which then fails the trusted comment check for no visible reason.
    /// </summary>
    public static MinisignSignature Parse(ReadOnlySpan<byte> fileBytes) => ParseCore(DecodeUtf8(fileBytes));

    public static bool TryParse(ReadOnlySpan<byte> fileBytes, [NotNullWhen(true)] out MinisignSignature? signature, [NotNullWhen(false)] out string? error)
    {
        try
        {
            signature = ParseCore(DecodeUtf8(fileBytes));
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            signature = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The file text exactly as minisign writes it (LF line ends, final LF).</summary>
    public string ToFileText()
    {
        var blob = new byte[BlobSize];
        WriteAlgorithm(Algorithm, blob);
        KeyId.CopyTo(blob.AsSpan(2));
        _signature.CopyTo(blob.AsSpan(2 + MinisignKeyId.Size));
        return new StringBuilder()
            .Append(MinisignText.UntrustedPrefix).Append(UntrustedComment).Append('\n')
            .Append(Convert.ToBase64String(blob)).Append('\n')
            .Append(MinisignText.TrustedPrefix).Append(TrustedComment).Append('\n')
            .Append(Convert.ToBase64String(_globalSignature)).Append('\n')
            .ToString();
    }

    public override string ToString() => ToFileText();

    /// <summary>The bytes the global signature covers: signature || UTF-8 trusted comment.</summary>
    internal byte[] GlobalSignedData()
    {
        var comment = Encoding.UTF8.GetBytes(TrustedComment);
        var data = new byte[SignatureSize + comment.Length];
        _signature.CopyTo(data, 0);
        comment.CopyTo(data, SignatureSize);
        return data;
    }

    private static string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("signature file: not valid UTF-8 text (HomeVault reads comments as UTF-8)");
        }
    }

    internal static void WriteAlgorithm(MinisignSignatureAlgorithm algorithm, Span<byte> destination)
    {
        destination[0] = (byte)'E';
        destination[1] = algorithm == MinisignSignatureAlgorithm.Prehashed ? (byte)'D' : (byte)'d';
    }

    private static MinisignSignature ParseCore(string text)
    {
        var lines = MinisignText.SplitLines(text);
        if (lines.Count < 4)
        {
            throw new FormatException($"signature file: expected 4 lines, got {lines.Count}");
        }
        for (var i = 4; i < lines.Count; i++)
        {
            if (lines[i].Length != 0)
            {
                throw new FormatException($"signature file: unexpected text on line {i + 1}");
            }
        }
        if (!lines[0].StartsWith(MinisignText.UntrustedPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"signature file: line 1 does not start with \"{MinisignText.UntrustedPrefix}\"");
        }
        var blob = MinisignText.DecodeExact(lines[1], BlobSize, "signature file: line 2");
        MinisignSignatureAlgorithm algorithm;
        if (blob[0] == 'E' && blob[1] == 'D')
        {
            algorithm = MinisignSignatureAlgorithm.Prehashed;
        }
        else if (blob[0] == 'E' && blob[1] == 'd')
        {
            algorithm = MinisignSignatureAlgorithm.Legacy;
        }
        else
        {
            throw new FormatException("signature file: line 2 has an unsupported signature algorithm (expected ED or Ed)");
        }
        if (!lines[2].StartsWith(MinisignText.TrustedPrefix, StringComparison.Ordinal))
        {
            throw new FormatException($"signature file: line 3 does not start with \"{MinisignText.TrustedPrefix}\"");
        }
        var globalSignature = MinisignText.DecodeExact(lines[3], SignatureSize, "signature file: line 4");
        return new MinisignSignature(
            algorithm,
            MinisignKeyId.FromBytes(blob.AsSpan(2, MinisignKeyId.Size)),
            blob.AsSpan(2 + MinisignKeyId.Size).ToArray(),
            lines[2][MinisignText.TrustedPrefix.Length..],
            globalSignature,
            lines[0][MinisignText.UntrustedPrefix.Length..]);
    }
}
