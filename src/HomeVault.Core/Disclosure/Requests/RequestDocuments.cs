using System.Security.Cryptography;
using HomeVault.Core.IO;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// The optional warrant document (a PDF). It is checked (size, %PDF- header) and stored only sealed to the owners as an
/// age file, written durably; its SHA-256 is of the plaintext PDF so a requester can match it to their copy.
/// </summary>
public static class RequestDocuments
{
    private static ReadOnlySpan<byte> PdfMagic => "%PDF-"u8;

    /// <exception cref="AccessRequestException">Empty, too large, or not a PDF.</exception>
    public static void Validate(ReadOnlySpan<byte> document, AccessRequestLimits? limits = null)
    {
        var max = (limits ?? AccessRequestLimits.Default).MaxDocumentBytes;
        if (document.Length > max)
        {
            throw new AccessRequestException($"document: {document.Length} bytes is larger than the limit of {max} bytes");
        }
        if (!document.StartsWith(PdfMagic))
        {
            throw new AccessRequestException("document: not a PDF (it does not start with %PDF-)");
        }
    }

    /// <summary>
    /// Streams <paramref name="pdf"/> into a new age file at <paramref name="path"/> encrypted to <paramref name="ownerRecipients"/>,
    /// checking the header and size limit as it goes; fsyncs the file and its directory. On any failure no file remains.
    /// </summary>
    /// <exception cref="AccessRequestException">Empty, too large, or not a PDF.</exception>
    /// <exception cref="IOException"><paramref name="path"/> exists or cannot be written.</exception>
    public static RequestDocument StoreEncrypted(Stream pdf, IEnumerable<X25519Recipient> ownerRecipients, string path, AccessRequestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(ownerRecipients);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var recipients = ownerRecipients.Cast<IRecipient>().ToList();
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one owner recipient is required", nameof(ownerRecipients));
        }
        var max = (limits ?? AccessRequestLimits.Default).MaxDocumentBytes;
        var head = new byte[PdfMagic.Length];
        var got = pdf.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got < head.Length || !head.AsSpan().SequenceEqual(PdfMagic))
        {
            throw new AccessRequestException("document: not a PDF (it does not start with %PDF-)");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        var created = false;
        try
        {
            using (var file = Durable.CreateForStreaming(path))
            {
                created = true;
                using (var age = Age.EncryptingStream(file, recipients, leaveOpen: true))
                {
                    var buffer = new byte[64 * 1024];
                    var chunk = head.AsSpan();
                    do
                    {
                        total += chunk.Length;
                        if (total > max)
                        {
                            throw new AccessRequestException($"document: larger than the limit of {max} bytes");
                        }
                        hash.AppendData(chunk);
                        age.Write(chunk);
                        var n = pdf.Read(buffer);
                        chunk = buffer.AsSpan(0, n);
                    }
                    while (chunk.Length > 0);
                    age.Complete();
                }
                file.Flush(flushToDisk: true);
            }
            Durable.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            return new RequestDocument(Convert.ToHexStringLower(hash.GetHashAndReset()), total, path);
        }
        catch when (created)
        {
            File.Delete(path);
            throw;
        }
    }
}
