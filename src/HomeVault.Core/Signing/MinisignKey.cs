using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace HomeVault.Core.Signing;

/// <summary>
/// A minisign signing key: Ed25519 (via NSec) plus a random 8-byte key id. Signs with the prehashed
/// <c>ED</c> algorithm only. Disposable like NSec's <see cref="Key"/>; the secret key file can be exported
/// only when the key was created or imported with <c>allowSecretKeyExport: true</c>.
/// </summary>
public sealed class MinisignKey : IDisposable
{
    private readonly Key _key;
    private bool _disposed;

    private MinisignKey(Key key, MinisignKeyId keyId, bool allowSecretKeyExport)
    {
        _key = key;
        KeyId = keyId;
        AllowsSecretKeyExport = allowSecretKeyExport;
        PublicKey = new MinisignPublicKey(keyId, key.PublicKey);
    }

    public MinisignKeyId KeyId { get; }

    public MinisignPublicKey PublicKey { get; }

    public bool AllowsSecretKeyExport { get; }

    /// <summary>Clock for the default trusted comment's timestamp; tests replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A fresh key pair with a random key id.</summary>
    public static MinisignKey Create(bool allowSecretKeyExport = false)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = ExportPolicy(allowSecretKeyExport) };
        var key = Key.Create(SignatureAlgorithm.Ed25519, parameters);
        Span<byte> id = stackalloc byte[MinisignKeyId.Size];
        RandomNumberGenerator.Fill(id);
        return new MinisignKey(key, MinisignKeyId.FromBytes(id), allowSecretKeyExport);
    }

    /// <summary>
    /// Reads an unencrypted minisign secret key file (as written by <c>minisign -G -W</c> or
    /// <see cref="ExportSecretKeyFile"/>). Throws <see cref="FormatException"/> for malformed, corrupt or
    /// password-encrypted files.
    /// </summary>
    public static MinisignKey ImportSecretKeyFile(ReadOnlySpan<byte> fileText, bool allowSecretKeyExport = false)
    {
        var (keyId, seed, claimedPublicKey) = MinisignSecretKeyFile.Read(fileText);
        try
        {
            var parameters = new KeyCreationParameters { ExportPolicy = ExportPolicy(allowSecretKeyExport) };
            var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, parameters);
            // minisign stores seed || public key; a public half that does not belong to the seed would make
            // every signature unverifiable, so refuse it here rather than sign garbage later.
            if (!CryptographicOperations.FixedTimeEquals(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), claimedPublicKey))
            {
                key.Dispose();
                throw new FormatException("secret key file: the public key part does not match the secret key (the key is corrupt)");
            }
            return new MinisignKey(key, keyId, allowSecretKeyExport);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <inheritdoc cref="ImportSecretKeyFile(ReadOnlySpan{byte}, bool)"/>
    public static MinisignKey ImportSecretKeyFile(string fileText, bool allowSecretKeyExport = false)
    {
        ArgumentNullException.ThrowIfNull(fileText);
        var bytes = Encoding.UTF8.GetBytes(fileText);
        try
        {
            return ImportSecretKeyFile(bytes, allowSecretKeyExport);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// The unencrypted minisign secret key file as UTF-8 text, usable with stock <c>minisign -S -s</c>.
    /// Meant to go straight into an age-encrypted file; zero the returned array when done.
    /// Throws <see cref="InvalidOperationException"/> unless export was allowed.
    /// </summary>
    public byte[] ExportSecretKeyFile()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!AllowsSecretKeyExport)
        {
            throw new InvalidOperationException("secret key export was not allowed when this key was created or imported");
        }
        Span<byte> seed = stackalloc byte[MinisignSecretKeyFile.SeedSize];
        try
        {
            if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, seed, out var written) || written != seed.Length)
            {
                throw new InvalidOperationException("could not export the Ed25519 seed");
            }
            return MinisignSecretKeyFile.Write(KeyId, seed, PublicKey.RawKey.Span);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// minisign's default trusted comment, <c>timestamp:&lt;unix&gt;\tfile:&lt;name&gt;\thashed</c> (minisign 0.11 adds
    /// "hashed" to prehashed signatures); without a file name, <c>timestamp:&lt;unix&gt;\thashed</c>.
    /// </summary>
    public string DefaultTrustedComment(string? fileName)
    {
        var ts = TimeProvider.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(fileName) ? $"timestamp:{ts}\thashed" : $"timestamp:{ts}\tfile:{fileName}\thashed";
    }

    /// <summary>Signs a message in memory. Comments must be single lines; null means minisign's defaults.</summary>
    public MinisignSignature Sign(ReadOnlySpan<byte> message, string? trustedComment = null, string? untrustedComment = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return SignHash(MinisignHash.Hash(message), trustedComment ?? DefaultTrustedComment(null), untrustedComment);
    }

    /// <summary>
    /// Signs a stream from its position to its end, hashing incrementally in constant memory. When the stream is a
    /// <see cref="FileStream"/> the default trusted comment names the file, as minisign does.
    /// </summary>
    public MinisignSignature Sign(Stream message, string? trustedComment = null, string? untrustedComment = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Check comments before reading what may be gigabytes of stream.
        var comment = trustedComment ?? DefaultTrustedComment(FileNameOf(message));
        CheckedTrusted(comment);
        CheckedUntrusted(untrustedComment);
        return SignHash(MinisignHash.Hash(message), comment, untrustedComment);
    }

    /// <inheritdoc cref="Sign(Stream, string?, string?)"/>
    public async Task<MinisignSignature> SignAsync(Stream message, string? trustedComment = null, string? untrustedComment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Check comments before reading what may be gigabytes of stream.
        var comment = trustedComment ?? DefaultTrustedComment(FileNameOf(message));
        CheckedTrusted(comment);
        CheckedUntrusted(untrustedComment);
        var hash = await MinisignHash.HashAsync(message, cancellationToken).ConfigureAwait(false);
        return SignHash(hash, comment, untrustedComment);
    }

    /// <summary>Signs a file by path, streaming it; the default trusted comment names the file like <c>minisign -S</c>.</summary>
    public MinisignSignature SignFile(string path, string? trustedComment = null, string? untrustedComment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Sign(stream, trustedComment, untrustedComment);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _key.Dispose();
        }
    }

    private MinisignSignature SignHash(byte[] hash, string trustedComment, string? untrustedComment)
    {
        var commentBytes = CheckedTrusted(trustedComment);
        var untrusted = untrustedComment ?? "signature from minisign secret key";
        CheckedUntrusted(untrusted);

        var signature = new byte[MinisignSignature.SignatureSize];
        SignatureAlgorithm.Ed25519.Sign(_key, hash, signature);

        var global = new byte[signature.Length + commentBytes.Length];
        signature.CopyTo(global, 0);
        commentBytes.CopyTo(global, signature.Length);
        var globalSignature = new byte[MinisignSignature.SignatureSize];
        SignatureAlgorithm.Ed25519.Sign(_key, global, globalSignature);

        return new MinisignSignature(MinisignSignatureAlgorithm.Prehashed, KeyId, signature, trustedComment, globalSignature, untrusted);
    }

    private static byte[] CheckedTrusted(string comment) =>
        MinisignText.CheckComment(comment, MinisignText.MaxTrustedCommentBytes, "trustedComment");

    private static void CheckedUntrusted(string? comment)
    {
        if (comment is not null)
        {
            MinisignText.CheckComment(comment, MinisignText.MaxUntrustedCommentBytes, "untrustedComment");
        }
    }

    private static string? FileNameOf(Stream stream) => stream is FileStream fs ? Path.GetFileName(fs.Name) : null;

    private static KeyExportPolicies ExportPolicy(bool allowExport) =>
        allowExport ? KeyExportPolicies.AllowPlaintextExport : KeyExportPolicies.None;
}
