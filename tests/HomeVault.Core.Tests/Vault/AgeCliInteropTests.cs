using System.Text;
using HomeVault.Core.Vault;
using HomeVault.Tests;
using static HomeVault.Core.Tests.Vault.VaultTestFiles;

namespace HomeVault.Core.Tests.Vault;

/// <summary>Interop with the stock age 1.1.1 CLI in both directions: owners must never need HomeVault to open their files.</summary>
public sealed class AgeCliInteropTests : IDisposable
{
    private const string Passphrase = "hunter2 is not a passphrase";
    private readonly string _dir = TestEnv.NewTempDir("hv-age");
    private readonly ITestOutputHelper _output;

    public AgeCliInteropTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Exit, byte[] Stdout, string Stderr) RunAge(params string[] args) => TestEnv.Run(TestEnv.Tool("age"), args);

    private static (int Exit, string Transcript) AgeWithPassphrase(params string[] args) => AgeTty.Run(Passphrase, args);

    [Theory]
    [InlineData(0)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(5 * 1024 * 1024 + 17)]
    public void HomeVault_files_open_with_age_for_one_and_three_recipients(int size)
    {
        var keygen = TestEnv.Run(TestEnv.Tool("age-keygen"), ["-o", P("keygen.txt")]);
        Assert.Equal(0, keygen.Exit);
        var ageIds = IdentityFile.Parse(File.ReadAllText(P("keygen.txt")));
        using var mine = X25519Identity.Generate();
        using var other = X25519Identity.Generate();
        // An identity file HomeVault wrote must be usable by age -i.
        File.WriteAllText(P("mine.txt"), IdentityFile.Format(mine, DateTimeOffset.UtcNow));
        var plain = Random(size);
        var cases = new (string Name, IRecipient[] To, bool Armor)[]
        {
            ("one", [mine.Recipient], false),
            ("three", [other.Recipient, ageIds[0].Recipient, mine.Recipient], false),
            ("armored", [mine.Recipient], true),
        };
        foreach (var (name, to, armor) in cases)
        {
            File.WriteAllBytes(P(name + ".age"), Encrypt(plain, to, armor));
            foreach (var keyFile in name == "three" ? new[] { "mine.txt", "keygen.txt" } : ["mine.txt"])
            {
                // Stdout, not -o: age creates no output file for an empty plaintext.
                var r = RunAge("-d", "-i", P(keyFile), P(name + ".age"));
                Assert.True(r.Exit == 0, $"age -d {name} with {keyFile}: {r.Stderr}");
                Assert.Equal(plain, r.Stdout);
            }
        }
        foreach (var id in ageIds)
        {
            id.Dispose();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(Chunk)]
    [InlineData(3 * 1024 * 1024 + 5)]
    public void Age_files_binary_and_armored_open_with_HomeVault(int size)
    {
        using var id = X25519Identity.Generate();
        using var other = X25519Identity.Generate();
        var plain = Random(size);
        File.WriteAllBytes(P("plain"), plain);
        var bin = RunAge("-r", other.Recipient.ToString(), "-r", id.Recipient.ToString(), "-o", P("bin.age"), P("plain"));
        Assert.True(bin.Exit == 0, bin.Stderr);
        var arm = RunAge("-e", "-a", "-r", id.Recipient.ToString(), "-o", P("arm.age"), P("plain"));
        Assert.True(arm.Exit == 0, arm.Stderr);
        Assert.StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", File.ReadAllText(P("arm.age")), StringComparison.Ordinal);
        foreach (var f in new[] { "bin.age", "arm.age" })
        {
            var (released, error) = Decrypt(File.ReadAllBytes(P(f)), id);
            Assert.Null(error);
            Assert.Equal(plain, released);
        }
    }

    [Fact]
    public void Age_keygen_identity_file_parses_and_matches_its_public_key()
    {
        Assert.Equal(0, TestEnv.Run(TestEnv.Tool("age-keygen"), ["-o", P("k.txt")]).Exit);
        var text = File.ReadAllText(P("k.txt"));
        var ids = IdentityFile.Parse(text);
        var single = Assert.Single(ids);
        var y = TestEnv.Run(TestEnv.Tool("age-keygen"), ["-y", P("k.txt")]);
        Assert.Equal(Encoding.ASCII.GetString(y.Stdout).Trim(), single.Recipient.ToString());
        Assert.Contains($"# public key: {single.Recipient}", text, StringComparison.Ordinal);
        Assert.Contains(single.ExportSecret(), text, StringComparison.Ordinal);
        single.Dispose();
    }

    [Fact]
    public void HomeVault_passphrase_files_open_with_age_d_and_age_p_files_open_with_HomeVault()
    {
        var plain = Random(70_000);
        using (var r = new ScryptRecipient(Passphrase, workFactor: 12))
        {
            File.WriteAllBytes(P("hv.age"), Encrypt(plain, [r]));
        }
        var (exit, transcript) = AgeWithPassphrase("-d", "-o", P("hv.out"), P("hv.age"));
        _output.WriteLine(transcript);
        Assert.True(exit == 0, transcript);
        Assert.Equal(plain, File.ReadAllBytes(P("hv.out")));

        File.WriteAllBytes(P("plain"), plain);
        (exit, transcript) = AgeWithPassphrase("-p", "-o", P("age.age"), P("plain"));
        _output.WriteLine(transcript);
        Assert.True(exit == 0, transcript);
        using var id = new ScryptIdentity(Passphrase);
        var (released, error) = Decrypt(File.ReadAllBytes(P("age.age")), id);
        Assert.Null(error);
        Assert.Equal(plain, released);
    }

    [Fact]
    public void Passphrase_protected_identity_file_written_by_HomeVault_works_with_age_d_i()
    {
        using var owner = X25519Identity.Generate();
        var plain = Random(1000);
        File.WriteAllBytes(P("clip.age"), Encrypt(plain, [owner.Recipient]));
        using (var r = new ScryptRecipient(Passphrase, workFactor: 12))
        {
            var identityText = Encoding.UTF8.GetBytes(IdentityFile.Format(owner, DateTimeOffset.UtcNow));
            File.WriteAllBytes(P("owner.key.age"), Encrypt(identityText, [r], armor: true));
        }
        var (exit, transcript) = AgeWithPassphrase("-d", "-i", P("owner.key.age"), "-o", P("clip.out"), P("clip.age"));
        _output.WriteLine(transcript);
        Assert.True(exit == 0, transcript);
        Assert.Equal(plain, File.ReadAllBytes(P("clip.out")));
    }
}
