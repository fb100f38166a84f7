using HomeVault.Core.Replica;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Replica;

public sealed class ReplicaOptionsTests
{
    private static ReplicaOptions Valid() => new()
    {
        Endpoint = "https://s3.example.net", Bucket = "house-footage", Prefix = "h/", CredentialsFile = "/run/credentials/homevault.service/s3",
    };

    private static List<string> Errors(ReplicaOptions options)
    {
        var errors = new List<string>();
        ReplicaOptionsValidator.Validate(options, "HomeVault:Replica", errors);
        return errors;
    }

    [Fact]
    public void A_complete_section_is_valid() => Assert.Empty(Errors(Valid()));

    [Theory]
    [InlineData("Endpoint", "HomeVault:Replica:Endpoint: must be an absolute http:// or https:// URL")]
    [InlineData("Bucket", "HomeVault:Replica:Bucket: must be 3..63 of a-z, 0-9, '.', '-', starting and ending with a letter or digit")]
    [InlineData("CredentialsFile", "HomeVault:Replica:CredentialsFile: required, an absolute path")]
    [InlineData("Bandwidth", "HomeVault:Replica:BandwidthBytesPerSecond: must be >= 0 (0 = no limit), was -1")]
    [InlineData("Lock", "HomeVault:Replica:ObjectLockDays: must be 1..36500 when set, was 0")]
    [InlineData("Retention", "HomeVault:Replica:RemoteRetentionDays: must be at least ObjectLockDays (30), was 7")]
    [InlineData("AlertLag", "HomeVault:Replica:AlertLagSeconds: must be 0..31536000 (0 = no alert), was -5")]
    public void Each_problem_is_one_line_naming_its_field(string broken, string expected)
    {
        var o = Valid();
        switch (broken)
        {
            case "Endpoint": o.Endpoint = "s3.example.net"; break;
            case "Bucket": o.Bucket = "House_Footage"; break;
            case "CredentialsFile": o.CredentialsFile = "s3.txt"; break;
            case "Bandwidth": o.BandwidthBytesPerSecond = -1; break;
            case "Lock": o.ObjectLockDays = 0; break;
            case "Retention": o.ObjectLockDays = 30; o.RemoteRetentionDays = 7; break;
            case "AlertLag": o.AlertLagSeconds = -5; break;
        }

        Assert.Equal([expected], Errors(o));
    }

    [Fact]
    public void Keys_in_the_endpoint_are_refused_without_being_echoed()
    {
        var o = Valid();
        o.Endpoint = "https://AKIA:hunter2-secret@s3.example.net";

        var error = Assert.Single(Errors(o));

        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credentials_never_show_the_secret_and_a_bad_file_is_not_quoted()
    {
        var dir = TestEnv.NewTempDir("hvs3");
        var good = Path.Combine(dir, "good");
        File.WriteAllText(good, "AKIA123:very-secret/key+x\n");
        var bad = Path.Combine(dir, "bad");
        File.WriteAllText(bad, "very-secret-without-colon\n");

        var credentials = ReplicaCredentials.Load(good);
        var error = Assert.Throws<UserError>(() => ReplicaCredentials.Load(bad));

        Assert.Equal(("AKIA123", "very-secret/key+x"), (credentials.AccessKey, credentials.SecretKey));
        Assert.Equal("AKIA123:***", credentials.ToString());
        Assert.Equal($"replica credentials file {bad}: expected one line 'ACCESS_KEY:SECRET_KEY'", error.Message);
        Assert.Contains("does not exist", Assert.Throws<UserError>(() => ReplicaCredentials.Load(Path.Combine(dir, "none"))).Message, StringComparison.Ordinal);
    }
}
