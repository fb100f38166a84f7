using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

/// <summary>`encrypt` and `decrypt` where no data directory is involved, against files and behaviour of stock `age`.</summary>
public sealed class VaultCommandTests
{
    private const string Passphrase = "correct horse battery staple";

    /// <summary>A data directory that does not exist, so nothing can fall back on the machine's /var/lib/homevault.</summary>
    private static Dictionary<string, string> NoData(string dir) => new() { ["HOMEVAULT_DATA"] = Path.Combine(dir, "no-data-here") };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_passphrase_file_from_stock_age_opens_without_a_data_directory(bool armor)
    {
        var dir = TestEnv.NewTempDir("hvpass");
        var plain = Path.Combine(dir, "note.txt");
        File.WriteAllText(plain, "meet at the north gate at nine\n");
        var sealedFile = Path.Combine(dir, "note.txt.age");
        var (exit, terminal) = AgeTty.Run(Passphrase, ["-p", .. armor ? new[] { "-a" } : [], "-o", sealedFile, plain]);
        Assert.True(exit == 0, terminal);
        Assert.Equal(armor, File.ReadAllText(sealedFile).StartsWith("-----BEGIN AGE ENCRYPTED FILE-----", StringComparison.Ordinal));
        var passFile = Path.Combine(dir, "pass");
        File.WriteAllText(passFile, Passphrase + "\n");

        var back = Path.Combine(dir, "back.txt");
        var r = Homevault.RunWith(null, NoData(dir), "decrypt", "--passphrase-file", passFile, "-o", back, sealedFile);
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal(File.ReadAllBytes(plain), File.ReadAllBytes(back));

        File.WriteAllText(passFile, "not the passphrase at all\n");
        var wrong = Homevault.RunWith(null, NoData(dir), "decrypt", "--passphrase-file", passFile, "-o", Path.Combine(dir, "wrong.txt"), sealedFile);
        Assert.Equal(1, wrong.Exit);
        Assert.DoesNotContain("data directory", wrong.Stderr, StringComparison.Ordinal);
        Assert.Single(wrong.Stderr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "wrong.txt")));
    }

    [Fact]
    public void Encrypt_and_decrypt_write_to_dev_null_and_standard_output_as_stock_age_does()
    {
        var dir = TestEnv.NewTempDir("hvout");
        var (key, recipient) = ReleaseTestKit.NewRecipient(dir);
        var plain = Path.Combine(dir, "clip.bin");
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        File.WriteAllBytes(plain, payload);
        var sealedFile = Path.Combine(dir, "clip.bin.age");
        Assert.Equal(0, TestEnv.Run(TestEnv.Tool("age"), ["-r", recipient, "-o", sealedFile, plain]).Exit);

        // Each target, for both commands, as stock age answers it (/dev/stdout is a pipe here, as under a shell's |).
        foreach (var target in new[] { "/dev/null", "-", "/dev/stdout" })
        {
            var age = TestEnv.Run(TestEnv.Tool("age"), ["-r", recipient, "-o", target, plain]);
            var hv = Homevault.Run("encrypt", "-r", recipient, "-o", target, plain);
            Assert.True(age.Exit == 0 && hv.Exit == 0, $"{target}: age {age.Exit} {age.Stderr}; homevault {hv.Exit} {hv.Stderr}");
            Assert.Equal(age.Stdout.Length == 0, hv.StdoutBytes.Length == 0);
            if (hv.StdoutBytes.Length > 0)
            {
                // What went to standard output is the age file itself: stock age opens it.
                var copy = Path.Combine(dir, $"stdout-{Guid.NewGuid():N}.age");
                File.WriteAllBytes(copy, hv.StdoutBytes);
                var opened = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", key, copy]);
                Assert.True(opened.Exit == 0, opened.Stderr);
                Assert.Equal(payload, opened.Stdout);
            }

            var ageDecrypt = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", key, "-o", target, sealedFile]);
            var hvDecrypt = Homevault.Run("decrypt", "-i", key, "-o", target, sealedFile);
            Assert.True(ageDecrypt.Exit == 0 && hvDecrypt.Exit == 0, $"{target}: age {ageDecrypt.Exit} {ageDecrypt.Stderr}; homevault {hvDecrypt.Exit} {hvDecrypt.Stderr}");
            Assert.Equal(ageDecrypt.Stdout, hvDecrypt.StdoutBytes);
        }
        Assert.True(HomeVault.Core.IO.FileKind.IsStreamDevice("/dev/null"), "/dev/null must still be the device, not a file renamed over it");

        // An existing regular file is still refused and left as it was (stock age would overwrite it).
        var existing = Path.Combine(dir, "existing.bin");
        File.WriteAllText(existing, "keep me");
        var encrypt = Homevault.Run("encrypt", "-r", recipient, "-o", existing, plain);
        var decrypt = Homevault.Run("decrypt", "-i", key, "-o", existing, sealedFile);
        Assert.Equal((1, 1), (encrypt.Exit, decrypt.Exit));
        Assert.Equal($"homevault: output {existing} already exists; choose another -o or remove it first\n", encrypt.Stderr);
        Assert.Equal("keep me", File.ReadAllText(existing));
    }
}
