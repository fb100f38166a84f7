using HomeVault.Core.Keys;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Keys;

public sealed class OwnerKeyStoreTests : IDisposable
{
    private readonly string _dir = TestEnv.NewTempDir("hv-keys");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Unsealing_reads_keys_back_refuses_a_wrong_passphrase_and_an_oversized_file()
    {
        var data = new DataDirectory(_dir);
        var store = new OwnerKeyStore(data);
        var keys = store.Create("alice", "correct horse", DateTimeOffset.UnixEpoch);

        using (var signing = store.UnlockSigningKey("alice", "correct horse"))
        {
            Assert.Equal(keys.MinisignPublicKey, signing.PublicKey.ToBase64());
        }
        var wrong = Assert.Throws<KeyStoreException>(() => store.UnlockSigningKey("alice", "wrong horse"));
        Assert.Equal("wrong passphrase for owner 'alice'", wrong.Message);

        File.WriteAllBytes(data.OwnerIdentityPath("alice"), new byte[65 * 1024]);
        var big = Assert.Throws<KeyStoreException>(() => store.UnlockIdentity("alice", "correct horse"));
        Assert.Contains("too large to be a key", big.Message, StringComparison.Ordinal);
    }
}
