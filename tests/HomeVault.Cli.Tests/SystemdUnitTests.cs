using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using HomeVault.Tests;

namespace HomeVault.Cli.Tests;

public sealed partial class SystemdUnitTests
{
    [GeneratedRegex(@"Overall exposure level for homevault\.service: (\d+\.\d+)")]
    private static partial Regex Exposure();

    [Fact]
    public void Shipped_unit_is_sandboxed_to_an_exposure_of_at_most_2_5()
    {
        var unit = Path.Combine(TestEnv.RepoRoot, "systemd", "homevault.service");
        var r = TestEnv.Run(TestEnv.Tool("systemd-analyze"), ["security", "--offline=true", "--no-pager", unit]);
        var text = Encoding.UTF8.GetString(r.Stdout) + r.Stderr;
        var m = Exposure().Match(text);
        Assert.True(m.Success, text);
        Assert.True(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) <= 2.5, text);
        var content = File.ReadAllText(unit);
        Assert.Contains("Type=notify", content, StringComparison.Ordinal);
        Assert.Contains("WatchdogSec=", content, StringComparison.Ordinal);
        Assert.Contains("StateDirectory=homevault", content, StringComparison.Ordinal);
        Assert.Contains("LoadCredential=", content, StringComparison.Ordinal);
        Assert.Contains("\nMemoryDenyWriteExecute=yes\n", content, StringComparison.Ordinal);
    }
}
