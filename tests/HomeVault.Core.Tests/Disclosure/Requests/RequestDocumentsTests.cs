using System.Security.Cryptography;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Vault;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Disclosure.Requests;

public sealed class RequestDocumentsTests : IDisposable
{
    private readonly string _dir = TestEnv.NewTempDir("hv-doc");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Pdf(int size)
    {
        var bytes = new byte[size];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    [Fact]
    public void Stores_the_pdf_sealed_to_every_owner()
    {
        using var alice = X25519Identity.Generate();
        using var bob = X25519Identity.Generate();
        var pdf = Pdf(200_000);
        var path = Path.Combine(_dir, "req.pdf.age");

        var doc = RequestDocuments.StoreEncrypted(new MemoryStream(pdf), [alice.Recipient, bob.Recipient], path);

        Assert.Equal(new RequestDocument(Convert.ToHexStringLower(SHA256.HashData(pdf)), pdf.Length, path), doc);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.StartsWith("age-encryption.org/v1\n", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 22), StringComparison.Ordinal);
        foreach (var owner in new[] { alice, bob })
        {
            using var input = File.OpenRead(path);
            using var plain = new MemoryStream();
            Age.Decrypt(input, plain, [owner]);
            Assert.Equal(pdf, plain.ToArray());
        }
    }

    [Fact]
    public void Refuses_non_pdf_and_oversized_documents_leaving_no_file()
    {
        using var owner = X25519Identity.Generate();
        var path = Path.Combine(_dir, "doc.age");
        var limits = new AccessRequestLimits { MaxDocumentBytes = 100_000 };

        var ex = Assert.Throws<AccessRequestException>(() => RequestDocuments.StoreEncrypted(new MemoryStream("<html>"u8.ToArray()), [owner.Recipient], path, limits));
        Assert.Equal("document: not a PDF (it does not start with %PDF-)", ex.Message);
        Assert.Throws<AccessRequestException>(() => RequestDocuments.StoreEncrypted(new MemoryStream("%PD"u8.ToArray()), [owner.Recipient], path, limits));
        Assert.False(File.Exists(path));

        ex = Assert.Throws<AccessRequestException>(() => RequestDocuments.StoreEncrypted(new MemoryStream(Pdf(100_001)), [owner.Recipient], path, limits));
        Assert.Equal("document: larger than the limit of 100000 bytes", ex.Message);
        Assert.False(File.Exists(path));

        Assert.Equal(100_000, RequestDocuments.StoreEncrypted(new MemoryStream(Pdf(100_000)), [owner.Recipient], path, limits).Bytes);
        Assert.Throws<IOException>(() => RequestDocuments.StoreEncrypted(new MemoryStream(Pdf(10)), [owner.Recipient], path, limits));
        Assert.True(File.Exists(path)); // an existing file is never overwritten nor deleted
    }

    [Fact]
    public void Validate_checks_header_and_default_20_mib_limit()
    {
        RequestDocuments.Validate(Pdf(1000));
        Assert.Equal("document: not a PDF (it does not start with %PDF-)", Assert.Throws<AccessRequestException>(() => RequestDocuments.Validate("PK\u0003\u0004"u8)).Message);
        Assert.Equal(20L * 1024 * 1024, AccessRequestLimits.Default.MaxDocumentBytes);
        var big = new byte[20 * 1024 * 1024 + 1];
        "%PDF-"u8.CopyTo(big);
        Assert.Equal($"document: {big.Length} bytes is larger than the limit of {20 * 1024 * 1024} bytes",
            Assert.Throws<AccessRequestException>(() => RequestDocuments.Validate(big)).Message);
    }
}
