namespace HomeVault.Core.Vault;

/// <summary>Entry points for age v1 (C2SP age spec) encryption and decryption.</summary>
public static class Age
{
    /// <summary>
    /// Starts an age file on <paramref name="output"/> (header written now). Write plaintext, then
    /// Complete or Dispose to write the final chunk.
    /// </summary>
    public static AgeEncryptingStream EncryptingStream(Stream output, IEnumerable<IRecipient> recipients, bool armor = false, bool leaveOpen = false) =>
        new(output, recipients, armor, leaveOpen);

    /// <summary>
    /// Parses and authenticates the header now (binary or armored, detected), throwing
    /// <see cref="AgeException"/>; the returned stream yields authenticated plaintext only.
    /// </summary>
    public static AgeDecryptingStream DecryptingStream(Stream input, IEnumerable<IIdentity> identities, bool leaveOpen = false)
    {
        try
        {
            return AgeDecryptingStream.Open(input, identities, leaveOpen);
        }
        catch when (!leaveOpen)
        {
            input?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// True when the header (binary or armored, detected) holds a scrypt stanza: the file opens with a passphrase,
    /// not a key. Reads the header only, authenticating nothing; false for anything that is not an age header.
    /// </summary>
    public static bool IsPassphraseEncrypted(Stream input)
    {
        var raw = new BufferedInput(input);
        try
        {
            var source = Armor.LooksArmored(raw) ? new BufferedInput(new ArmorReader(raw)) : raw;
            return Header.Parse(source).Stanzas.Any(s => s.Type == ScryptRecipient.StanzaType);
        }
        catch (AgeException)
        {
            return false;
        }
    }

    public static void Encrypt(Stream plaintext, Stream output, IEnumerable<IRecipient> recipients, bool armor = false)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using var enc = EncryptingStream(output, recipients, armor, leaveOpen: true);
        PlaintextCopy.Copy(plaintext, enc, 16 * Payload.ChunkSize);
        enc.Complete();
    }

    /// <summary>
    /// Decrypts to <paramref name="plaintext"/>. On a payload error, the authenticated prefix has
    /// already been written; the caller must discard it unless it means to salvage.
    /// </summary>
    public static void Decrypt(Stream input, Stream plaintext, IEnumerable<IIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using var dec = DecryptingStream(input, identities, leaveOpen: true);
        PlaintextCopy.Copy(dec, plaintext, Payload.ChunkSize);
    }

    /// <summary>
    /// Owner recovery of a damaged or truncated file (e.g. a crash mid-recording): writes the
    /// plaintext of every chunk that authenticates, in order, up to the first bad or missing one.
    /// Header problems still throw: without an authenticated header nothing can be trusted.
    /// </summary>
    public static SalvageResult Salvage(Stream input, Stream plaintext, IEnumerable<IIdentity> identities)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        using var dec = DecryptingStream(input, identities, leaveOpen: true);
        var buffer = new byte[Payload.ChunkSize];
        try
        {
            int n;
            while ((n = dec.Read(buffer)) > 0)
            {
                plaintext.Write(buffer, 0, n);
            }
            return new SalvageResult(dec.ReleasedLength, dec.AuthenticatedChunks, dec.IsComplete, null, null);
        }
        catch (AgeException e)
        {
            return new SalvageResult(dec.ReleasedLength, dec.AuthenticatedChunks, false, e.Kind, e.Message);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
