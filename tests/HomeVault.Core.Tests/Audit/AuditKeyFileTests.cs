using HomeVault.Core.Audit;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Audit;

/// <summary>A checkpoint key file the user must fix is a user error naming the file, never its contents.</summary>
public sealed class AuditKeyFileTests
{
    [Fact]
    public void A_key_file_others_can_read_is_refused_as_a_user_error()
    {
        var path = Path.Combine(TestEnv.NewTempDir("hvauditkey"), "audit.key");
        AuditKeyFile.LoadOrCreate(path, "homevault").Dispose();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.Throws<AuditException>(() => AuditKeyFile.Load(path));

        Assert.IsAssignableFrom<UserError>(ex);
        Assert.Equal($"audit key {path} is accessible to other users (mode must be 0600)", ex.Message);
    }

    [Fact]
    public void A_damaged_key_file_is_a_user_error_that_does_not_repeat_its_contents()
    {
        var path = Path.Combine(TestEnv.NewTempDir("hvauditkey"), "audit.key");
        AuditKeyFile.LoadOrCreate(path, "homevault").Dispose();
        var key = File.ReadAllText(path).Trim();
        // One character of the key changed: its hash no longer matches.
        var damaged = key[..^2] + (key[^2] == 'A' ? 'B' : 'A') + key[^1];
        File.WriteAllText(path, damaged + "\n");

        var ex = Assert.Throws<AuditException>(() => AuditKeyFile.Load(path));

        Assert.StartsWith($"audit key {path} is damaged: ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(damaged, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(damaged.Split('+')[^1], ex.Message, StringComparison.Ordinal);
    }
}
