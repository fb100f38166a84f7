using System.Security.Cryptography;
using HomeVault.Core.Vault;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Vault;

/// <summary>256 MiB through both streams with allocations bounded by a few chunks, not by the file size.</summary>
public sealed class LargeStreamTests(ITestOutputHelper output)
{
    private const long Size = 256L * 1024 * 1024;
    private const long AllocationBudget = 4L * 1024 * 1024;

    [Fact]
    public void Encrypt_and_decrypt_256_MiB_in_constant_memory()
    {
        var dir = TestEnv.NewTempDir("hv-large");
        try
        {
            using var id = X25519Identity.Generate();
            var path = Path.Combine(dir, "big.age");
            var block = new byte[100_003]; // odd size so writes straddle chunk boundaries
            RandomNumberGenerator.Fill(block);
            using var hashIn = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

            var before = GC.GetAllocatedBytesForCurrentThread();
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            using (var enc = Age.EncryptingStream(file, [id.Recipient]))
            {
                for (long written = 0; written < Size;)
                {
                    var n = (int)Math.Min(block.Length, Size - written);
                    block[0]++; // vary content
                    enc.Write(block, 0, n);
                    hashIn.AppendData(block, 0, n);
                    written += n;
                }
                enc.Complete();
            }
            var encAlloc = GC.GetAllocatedBytesForCurrentThread() - before;

            using var hashOut = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buf = new byte[81_920];
            long total = 0;
            before = GC.GetAllocatedBytesForCurrentThread();
            using (var dec = Age.DecryptingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0), [id]))
            {
                int n;
                while ((n = dec.Read(buf)) > 0)
                {
                    hashOut.AppendData(buf, 0, n);
                    total += n;
                }
                Assert.True(dec.IsComplete);
            }
            var decAlloc = GC.GetAllocatedBytesForCurrentThread() - before;

            output.WriteLine($"256 MiB: encrypt allocated {encAlloc / 1024} KiB, decrypt allocated {decAlloc / 1024} KiB");
            Assert.Equal(Size, total);
            Assert.Equal(hashIn.GetHashAndReset(), hashOut.GetHashAndReset());
            Assert.InRange(encAlloc, 0, AllocationBudget);
            Assert.InRange(decAlloc, 0, AllocationBudget);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
