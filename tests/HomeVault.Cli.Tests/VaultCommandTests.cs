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
}
