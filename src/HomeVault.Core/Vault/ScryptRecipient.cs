using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>
/// Passphrase encryption (age "scrypt" stanza). It must be a file's only recipient. The UTF-8
/// passphrase is kept until <see cref="Dispose"/>, which zeroes it.
/// </summary>
public sealed class ScryptRecipient : IRecipient, IDisposable
{
    internal const string StanzaType = "scrypt";
    internal const int SaltSize = 16;
    internal const int MaxSupportedWorkFactor = 22;
    internal static readonly byte[] SaltLabel = Encoding.ASCII.GetBytes("age-encryption.org/v1/scrypt");
    private readonly byte[] _passphrase;
    private bool _disposed;

    /// <param name="passphrase">Must not be empty.</param>
    /// <param name="workFactor">log2 of scrypt's N; 18 (age's default) takes about a second and 256 MiB.</param>
    public ScryptRecipient(ReadOnlySpan<char> passphrase, int workFactor = 18)
    {
        if (passphrase.IsEmpty)
        {
            throw new ArgumentException("passphrase must not be empty", nameof(passphrase));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(workFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workFactor, MaxSupportedWorkFactor);
        WorkFactor = workFactor;
        _passphrase = new byte[Encoding.UTF8.GetByteCount(passphrase)];
        Encoding.UTF8.GetBytes(passphrase, _passphrase);
    }

    public int WorkFactor { get; }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_passphrase);
        _disposed = true;
    }

    IReadOnlyList<Stanza> IRecipient.Wrap(ReadOnlySpan<byte> fileKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> salt = stackalloc byte[SaltSize];
        RandomNumberGenerator.Fill(salt);
        Span<byte> wrapKey = stackalloc byte[32];
        try
        {
            DeriveWrapKey(_passphrase, salt, WorkFactor, wrapKey);
            var body = KeyWrap.Wrap(wrapKey, fileKey);
            return [new Stanza(StanzaType, [Base64Raw.Encode(salt), WorkFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)], body)];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapKey);
        }
    }

    internal static void DeriveWrapKey(ReadOnlySpan<byte> passphrase, ReadOnlySpan<byte> salt, int logN, Span<byte> wrapKey)
    {
        Span<byte> fullSalt = stackalloc byte[SaltLabel.Length + SaltSize];
        SaltLabel.CopyTo(fullSalt);
        salt.CopyTo(fullSalt[SaltLabel.Length..]);
        Scrypt.DeriveKey(passphrase, fullSalt, logN, 8, 1, wrapKey);
    }
}
