using System.Text;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

public sealed class FoundationCommandTests
{
    private const string Passphrase = "correct horse battery staple";

    private static string RecipientOf(string data, string owner)
    {
        var show = Homevault.Run("keys", "show", "--data", data);
        Assert.Equal(0, show.Exit);
        var lines = show.Stdout.Split('\n');
        var at = Array.FindIndex(lines, l => l == "owner " + owner);
        return lines[at + 1].Split(':', 2)[1].Trim();
    }

    [Fact]
    public void Init_creates_owner_only_layout_and_refuses_a_second_time_without_change()
    {
        var (_, data, pass) = Homevault.Init();
        Assert.True(File.Exists(Path.Combine(data, "catalog.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var f in Directory.GetFiles(Path.Combine(data, "keys")))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
        }
        var before = Directory.GetFiles(data, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var again = Homevault.Run("init", "--data", data, "--passphrase-file", pass);
        Assert.Equal(1, again.Exit);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);
        Assert.Single(again.Stderr.TrimEnd('\n').Split('\n'));
        foreach (var (file, bytes) in before)
        {
            Assert.Equal(bytes, File.ReadAllBytes(file));
        }
    }

    [Fact]
    public void Init_with_short_passphrase_fails_and_leaves_nothing()
    {
        var dir = TestEnv.NewTempDir("hvcli");
        File.WriteAllText(Path.Combine(dir, "p"), "short\n");
        var r = Homevault.Run("init", "--data", Path.Combine(dir, "data"), "--passphrase-file", Path.Combine(dir, "p"));
        Assert.Equal(1, r.Exit);
        Assert.Contains("too short", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "data")));
    }

    [Fact]
    public void Init_without_terminal_or_passphrase_file_is_a_clear_error()
    {
        var dir = TestEnv.NewTempDir("hvcli");
        var r = Homevault.Run("init", "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, r.Exit);
        Assert.Contains("--passphrase-file", r.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir, "data")));
    }

    [Fact]
    public void Owner_identity_file_opens_with_stock_age_and_the_passphrase()
    {
        var (dir, data, _) = Homevault.Init();
        var plain = Path.Combine(dir, "identity.txt");
        var (exit, terminal) = AgeTty.Run(Passphrase, "-d", "-o", plain, Path.Combine(data, "keys", "alice.identity.age"));
        Assert.True(exit == 0, terminal);
        var text = File.ReadAllText(plain);
        Assert.Contains("AGE-SECRET-KEY-1", text, StringComparison.Ordinal);
        Assert.Contains("# public key: " + RecipientOf(data, "alice"), text, StringComparison.Ordinal);

        // The sealed signing key opens the same way and is a key stock minisign signs with.
        var sec = Path.Combine(dir, "alice.key");
        Assert.Equal(0, AgeTty.Run(Passphrase, "-d", "-o", sec, Path.Combine(data, "keys", "alice.minisign.key.age")).Exit);
        var msg = Path.Combine(dir, "msg");
        File.WriteAllText(msg, "hello");
        var sign = TestEnv.Run(TestEnv.Tool("minisign"), ["-S", "-s", sec, "-m", msg], []);
        Assert.True(sign.Exit == 0, sign.Stderr);
        var verify = Homevault.Run("verify-signature", msg, "--key", Path.Combine(data, "keys", "alice.minisign.pub"));
        Assert.True(verify.Exit == 0, verify.Stderr);
    }

    [Fact]
    public void Encrypt_decrypt_round_trip_and_age_interop_both_ways()
    {
        var (dir, data, pass) = Homevault.Init();
        var file = Path.Combine(dir, "clip.bin");
        var payload = new byte[200_000];
        Random.Shared.NextBytes(payload);
        File.WriteAllBytes(file, payload);
        var recipient = RecipientOf(data, "alice");

        Assert.Equal(0, Homevault.Run("encrypt", "-r", recipient, file).Exit);
        var back = Path.Combine(dir, "back.bin");
        var dec = Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", back, file + ".age");
        Assert.True(dec.Exit == 0, dec.Stderr);
        Assert.Equal(payload, File.ReadAllBytes(back));

        // Paper backup identity decrypts HomeVault's file with stock age.
        var export = Homevault.Run("keys", "export-identity", "--data", data, "--passphrase-file", pass);
        Assert.Equal(0, export.Exit);
        Assert.Contains("WARNING", export.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("AGE-SECRET-KEY-1", export.LastLine, StringComparison.Ordinal);
        var idFile = Path.Combine(dir, "id.txt");
        File.WriteAllText(idFile, export.LastLine + "\n");
        var ageDec = TestEnv.Run(TestEnv.Tool("age"), ["-d", "-i", idFile, file + ".age"]);
        Assert.True(ageDec.Exit == 0, ageDec.Stderr);
        Assert.Equal(payload, ageDec.Stdout);

        // Stock age encrypts (armored) to the owner; HomeVault decrypts with the sealed identity.
        var armored = Path.Combine(dir, "from-age.age");
        Assert.Equal(0, TestEnv.Run(TestEnv.Tool("age"), ["-a", "-r", recipient, "-o", armored, file]).Exit);
        var back2 = Path.Combine(dir, "back2.bin");
        Assert.Equal(0, Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", back2, armored).Exit);
        Assert.Equal(payload, File.ReadAllBytes(back2));

        // A plain identity file works with -i, and stdout output works when redirected.
        var viaI = Homevault.Run("decrypt", "-i", idFile, file + ".age");
        Assert.Equal(0, viaI.Exit);
        Assert.Equal(payload, viaI.StdoutBytes);
    }

    [Fact]
    public void Wrong_passphrase_and_tampered_file_fail_with_one_line_and_no_output()
    {
        var (dir, data, pass) = Homevault.Init();
        var file = Path.Combine(dir, "f");
        File.WriteAllBytes(file, new byte[150_000]);
        Assert.Equal(0, Homevault.Run("encrypt", "-r", RecipientOf(data, "alice"), "-o", file + ".age", file).Exit);

        var badPass = Path.Combine(dir, "bad");
        File.WriteAllText(badPass, "not the passphrase at all\n");
        var wrong = Homevault.Run("decrypt", "--data", data, "--passphrase-file", badPass, "-o", Path.Combine(dir, "o1"), file + ".age");
        Assert.Equal(1, wrong.Exit);
        Assert.Equal("homevault: wrong passphrase for owner 'alice'", wrong.Stderr.TrimEnd('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "o1")));

        var bytes = File.ReadAllBytes(file + ".age");
        bytes[^100] ^= 0x01;
        File.WriteAllBytes(file + ".bad.age", bytes);
        var tampered = Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", Path.Combine(dir, "o2"), file + ".bad.age");
        Assert.Equal(1, tampered.Exit);
        Assert.Single(tampered.Stderr.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("   at ", tampered.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, "o2*").Concat(Directory.GetFiles(dir, ".o2*")));
    }

    [Fact]
    public void Salvage_recovers_a_truncated_file_up_to_its_last_authenticated_chunk()
    {
        var (dir, data, pass) = Homevault.Init();
        var file = Path.Combine(dir, "f");
        var payload = new byte[5 * 65536 + 1000];
        Random.Shared.NextBytes(payload);
        File.WriteAllBytes(file, payload);
        Assert.Equal(0, Homevault.Run("encrypt", "-r", RecipientOf(data, "alice"), "-o", file + ".age", file).Exit);
        var whole = File.ReadAllBytes(file + ".age");
        // Cutting 30 000 bytes drops the final chunk and most of chunk 4: chunks 0-3 stay authenticated.
        File.WriteAllBytes(file + ".cut.age", whole[..(whole.Length - 30_000)]);

        var plain = Homevault.Run("decrypt", "--data", data, "--passphrase-file", pass, "-o", Path.Combine(dir, "x"), file + ".cut.age");
        Assert.Equal(1, plain.Exit);
        Assert.False(File.Exists(Path.Combine(dir, "x")));

        var salvage = Homevault.Run("decrypt", "--salvage", "--data", data, "--passphrase-file", pass, "-o", Path.Combine(dir, "s"), file + ".cut.age");
        Assert.True(salvage.Exit == 0, salvage.Stderr);
        Assert.Contains("recovered 262144 bytes (4 authenticated chunks)", salvage.Stderr, StringComparison.Ordinal);
        Assert.Equal(payload[..262144], File.ReadAllBytes(Path.Combine(dir, "s")));
    }

    [Fact]
    public void Owners_add_creates_separate_keys_listed_by_keys_show()
    {
        var (dir, data, _) = Homevault.Init();
        var bobPass = Path.Combine(dir, "bobpass");
        File.WriteAllText(bobPass, "bob's own long passphrase\n");
        var add = Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.True(add.Exit == 0, add.Stderr);
        Assert.NotEqual(RecipientOf(data, "alice"), RecipientOf(data, "bob"));
        var dup = Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.Equal(1, dup.Exit);
        Assert.Contains("already exists", dup.Stderr, StringComparison.Ordinal);
        var bad = Homevault.Run("owners", "add", "Bob Smith", "--data", data, "--passphrase-file", bobPass);
        Assert.Equal(1, bad.Exit);
        Assert.Contains("invalid", bad.Stderr, StringComparison.Ordinal);
        // With two owners, commands that act as one must be told which.
        var ambiguous = Homevault.Run("keys", "export-identity", "--data", data, "--passphrase-file", bobPass);
        Assert.Equal(1, ambiguous.Exit);
        Assert.Contains("--owner", ambiguous.Stderr, StringComparison.Ordinal);
        var bobExport = Homevault.Run("keys", "export-identity", "--owner", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.Equal(0, bobExport.Exit);
    }

    [Fact]
    public void Sign_output_verifies_with_stock_minisign_and_tampering_is_caught()
    {
        var (dir, data, pass) = Homevault.Init();
        var file = Path.Combine(dir, "manifest.json");
        File.WriteAllText(file, "{\"clips\":[]}\n");
        var sign = Homevault.Run("sign", "--data", data, "--passphrase-file", pass, "-t", "approval of req_1", file);
        Assert.True(sign.Exit == 0, sign.Stderr);
        var pub = Path.Combine(data, "keys", "alice.minisign.pub");
        var mv = TestEnv.Run(TestEnv.Tool("minisign"), ["-V", "-p", pub, "-m", file]);
        Assert.True(mv.Exit == 0, mv.Stderr);
        Assert.Contains("approval of req_1", Encoding.UTF8.GetString(mv.Stdout), StringComparison.Ordinal);

        var ok = Homevault.Run("verify-signature", file, "--key", pub);
        Assert.Equal(0, ok.Exit);
        File.AppendAllText(file, " ");
        var bad = Homevault.Run("verify-signature", file, "--key", pub);
        Assert.Equal(1, bad.Exit);
        Assert.StartsWith("homevault: signature INVALID", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("encrypt")]
    [InlineData("keys", "show", "--bogus")]
    public void Usage_errors_exit_2_with_one_line(params string[] args)
    {
        var r = Homevault.Run(args);
        Assert.Equal(2, r.Exit);
        Assert.Single(r.Stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("homevault: ", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_is_available_on_every_command()
    {
        foreach (var cmd in new[] { new[] { "--help" }, ["init", "--help"], ["owners", "add", "--help"], ["keys", "export-identity", "--help"], ["decrypt", "--help"], ["verify-signature", "--help"] })
        {
            var r = Homevault.Run(cmd);
            Assert.True(r.Exit == 0, string.Join(' ', cmd));
            Assert.Contains("Usage:", r.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Commands_on_an_uninitialised_directory_say_so()
    {
        var dir = TestEnv.NewTempDir("hvcli");
        var r = Homevault.RunWith(null, new Dictionary<string, string> { ["HOMEVAULT_DATA"] = dir }, "keys", "show");
        Assert.Equal(1, r.Exit);
        Assert.Contains("not a HomeVault data directory", r.Stderr, StringComparison.Ordinal);
    }
}
