using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>
/// Opens passphrase-encrypted files. <paramref name="maxWorkFactor"/> bounds the work an attacker-
/// supplied header can make us do (default 22, as age: about 15 s and 4 GiB).
/// </summary>
public sealed class ScryptIdentity : IIdentity, IDisposable
{
    private readonly byte[] _passphrase;
    private bool _disposed;

    public ScryptIdentity(ReadOnlySpan<char> passphrase, int maxWorkFactor = 22)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWorkFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWorkFactor, ScryptRecipient.MaxSupportedWorkFactor);
        MaxWorkFactor = maxWorkFactor;
        _passphrase = new byte[Encoding.UTF8.GetByteCount(passphrase)];
        Encoding.UTF8.GetBytes(passphrase, _passphrase);
    }

    public int MaxWorkFactor { get; }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_passphrase);
        _disposed = true;
    }

    bool IIdentity.TryUnwrap(IReadOnlyList<Stanza> stanzas, Span<byte> fileKey)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> wrapKey = stackalloc byte[32];
        foreach (var stanza in stanzas)
        {
            if (stanza.Type != ScryptRecipient.StanzaType)
            {
                continue;
            }
            if (stanza.Args.Count != 2)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid scrypt stanza: expected a salt and a work factor");
            }
            if (!Base64Raw.TryDecode(stanza.Args[0], out var salt) || salt.Length != ScryptRecipient.SaltSize)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid scrypt stanza: malformed salt");
            }
            var logN = ParseWorkFactor(stanza.Args[1]);
            if (logN > MaxWorkFactor)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, $"scrypt work factor {logN} exceeds the limit of {MaxWorkFactor}");
            }
            if (stanza.Body.Length != KeyWrap.WrappedSize)
            {
                throw new AgeException(AgeErrorKind.InvalidHeader, "invalid scrypt stanza: wrapped file key has the wrong size");
            }
            try
            {
                ScryptRecipient.DeriveWrapKey(_passphrase, salt, logN, wrapKey);
                if (KeyWrap.TryUnwrap(wrapKey, stanza.Body, fileKey, ScryptRecipient.StanzaType))
                {
                    return true;
                }
            }
            finally
            {
                CryptographicOperations.ZeroMemory(wrapKey);
            }
        }
        return false;
    }

    /// <summary>Only canonical decimal: no sign, no leading zero, no hex, no overflow.</summary>
    private static int ParseWorkFactor(string s)
    {
        var ok = s.Length is > 0 and <= 2 && s[0] is >= '1' and <= '9';
        foreach (var c in s)
        {
            ok &= c is >= '0' and <= '9';
        }
        if (!ok)
        {
            throw new AgeException(AgeErrorKind.InvalidHeader, "invalid scrypt stanza: malformed work factor");
        }
        return int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
    }
}
