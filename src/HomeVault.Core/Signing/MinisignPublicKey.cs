using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NSec.Cryptography;

namespace HomeVault.Core.Signing;

/// <summary>
/// A minisign public key: base64("Ed" || key_id(8) || ed25519_pk(32)), alone or in a key file
/// ("untrusted comment: minisign public key XXXXXXXXXXXXXXXX" then that line).
/// Verification returns a <see cref="MinisignVerificationResult"/>; only misuse (null arguments) throws.
/// </summary>
public sealed class MinisignPublicKey
{
    /// <summary>
    /// A legacy <c>Ed</c> signature signs the whole message, so verifying it from a stream means buffering the
    /// stream. Streams longer than this (64 MiB) fail with <see cref="MinisignFailureReason.LegacyMessageTooLarge"/>;
    /// HomeVault itself only produces prehashed signatures, which stream in constant memory.
    /// </summary>
    public const int LegacyStreamLimit = 64 * 1024 * 1024;

    internal const int RawKeySize = 32;
    private const int BlobSize = 2 + MinisignKeyId.Size + RawKeySize;

    private readonly byte[] _raw;
    private readonly PublicKey _key;

    internal MinisignPublicKey(MinisignKeyId keyId, PublicKey key)
    {
        KeyId = keyId;
        _key = key;
        _raw = key.Export(KeyBlobFormat.RawPublicKey);
    }

    public MinisignKeyId KeyId { get; }

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    public ReadOnlyMemory<byte> RawKey => _raw;

    /// <summary>Parses the bare base64 line or the whole public key file text; throws <see cref="FormatException"/>.</summary>
    public static MinisignPublicKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseCore(text);
    }

    public static bool TryParse(string text, [NotNullWhen(true)] out MinisignPublicKey? key, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            key = ParseCore(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            key = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>The bare base64 form, as given to <c>minisign -P</c>.</summary>
    public string ToBase64()
    {
        var blob = new byte[BlobSize];
        blob[0] = (byte)'E';
        blob[1] = (byte)'d';
        KeyId.CopyTo(blob.AsSpan(2));
        _raw.CopyTo(blob, 2 + MinisignKeyId.Size);
        return Convert.ToBase64String(blob);
    }

    /// <summary>
    /// The public key file exactly as <c>minisign -G</c> 0.11 (Debian's, our interop target) writes it: the key id in
    /// the comment is unpadded hex ("%" PRIX64); later upstream versions pad it to 16 digits. Readers ignore the comment.
    /// </summary>
    public string ToFileText() =>
        $"{MinisignText.UntrustedPrefix}minisign public key {KeyId.Value.ToString("X", CultureInfo.InvariantCulture)}\n{ToBase64()}\n";

    public override string ToString() => ToBase64();

    public MinisignVerificationResult Verify(ReadOnlySpan<byte> message, MinisignSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Algorithm == MinisignSignatureAlgorithm.Prehashed
            ? VerifySigned(MinisignHash.Hash(message), signature)
            : VerifySigned(message, signature);
    }

    /// <summary>Verifies against signature file text; malformed text is a failed result, not an exception.</summary>
    public MinisignVerificationResult Verify(ReadOnlySpan<byte> message, string signatureText)
    {
        ArgumentNullException.ThrowIfNull(signatureText);
        return MinisignSignature.TryParse(signatureText, out var signature, out var error)
            ? Verify(message, signature)
            : MinisignVerificationResult.Failed(MinisignFailureReason.MalformedSignature, error, null);
    }

    /// <summary>
    /// Verifies a streamed message: prehashed signatures hash it in constant memory; legacy ones buffer up to
    /// <see cref="LegacyStreamLimit"/> bytes. Reads the stream from its current position to the end.
    /// </summary>
    public MinisignVerificationResult Verify(Stream message, MinisignSignature signature)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Algorithm == MinisignSignatureAlgorithm.Prehashed)
        {
            return VerifySigned(MinisignHash.Hash(message), signature);
        }
        using var buffer = new MemoryStream();
        if (!CopyBounded(message, buffer))
        {
            return TooLarge(signature);
        }
        return VerifySigned(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), signature);
    }

    public async Task<MinisignVerificationResult> VerifyAsync(Stream message, MinisignSignature signature, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);
        if (signature.Algorithm == MinisignSignatureAlgorithm.Prehashed)
        {
            return VerifySigned(await MinisignHash.HashAsync(message, cancellationToken).ConfigureAwait(false), signature);
        }
        using var buffer = new MemoryStream();
        if (!await CopyBoundedAsync(message, buffer, cancellationToken).ConfigureAwait(false))
        {
            return TooLarge(signature);
        }
        return VerifySigned(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), signature);
    }

    /// <summary>Checks key id, the signature over <paramref name="signed"/> (hash or message), then the trusted comment.</summary>
    internal MinisignVerificationResult VerifySigned(ReadOnlySpan<byte> signed, MinisignSignature signature)
    {
        if (signature.KeyId != KeyId)
        {
            return MinisignVerificationResult.Failed(
                MinisignFailureReason.KeyIdMismatch,
                $"signature key id {signature.KeyId} does not match public key id {KeyId}",
                signature.KeyId);
        }
        if (!SignatureAlgorithm.Ed25519.Verify(_key, signed, signature.Signature.Span))
        {
            return MinisignVerificationResult.Failed(
                MinisignFailureReason.InvalidSignature,
                "signature verification failed (message or signature altered, or wrong key)",
                signature.KeyId);
        }
        if (!SignatureAlgorithm.Ed25519.Verify(_key, signature.GlobalSignedData(), signature.GlobalSignature.Span))
        {
            return MinisignVerificationResult.Failed(
                MinisignFailureReason.InvalidTrustedComment,
                "trusted comment signature verification failed (trusted comment altered)",
                signature.KeyId);
        }
        return MinisignVerificationResult.Valid(signature.KeyId, signature.TrustedComment);
    }

    private static MinisignVerificationResult TooLarge(MinisignSignature signature) =>
        MinisignVerificationResult.Failed(
            MinisignFailureReason.LegacyMessageTooLarge,
            $"legacy (Ed) signature over a stream longer than {LegacyStreamLimit} bytes; verify it from a byte span or re-sign prehashed",
            signature.KeyId);

    private static bool CopyBounded(Stream source, MemoryStream destination)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (destination.Length + n > LegacyStreamLimit)
            {
                return false;
            }
            destination.Write(buffer, 0, n);
        }
        return true;
    }

    private static async Task<bool> CopyBoundedAsync(Stream source, MemoryStream destination, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (destination.Length + n > LegacyStreamLimit)
            {
                return false;
            }
            destination.Write(buffer, 0, n);
        }
        return true;
    }

    private static MinisignPublicKey ParseCore(string text)
    {
        var lines = MinisignText.SplitLines(text.Trim());
        string line;
        string where;
        if (lines.Count == 1)
        {
            line = lines[0];
            where = "public key";
        }
        else if (lines.Count == 2 && lines[0].StartsWith(MinisignText.UntrustedPrefix, StringComparison.Ordinal))
        {
            line = lines[1];
            where = "public key file: line 2";
        }
        else
        {
            throw new FormatException("public key: expected one base64 line, or a key file of an \"untrusted comment: \" line and a base64 line");
        }
        var blob = MinisignText.DecodeExact(line, BlobSize, where);
        if (blob[0] != 'E' || blob[1] != 'd')
        {
            throw new FormatException($"{where} has an unsupported signature algorithm (expected Ed)");
        }
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, blob.AsSpan(2 + MinisignKeyId.Size), KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new FormatException($"{where} is not a valid Ed25519 public key");
        }
        return new MinisignPublicKey(MinisignKeyId.FromBytes(blob.AsSpan(2, MinisignKeyId.Size)), key);
    }
}
