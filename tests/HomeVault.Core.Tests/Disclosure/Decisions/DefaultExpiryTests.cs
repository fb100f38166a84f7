using HomeVault.Core.Disclosure.Decisions;

namespace HomeVault.Core.Tests.Disclosure.Decisions;

/// <summary>The one default release expiry, shared by the CLI, the console's form and the disclosure service.</summary>
public sealed class DefaultExpiryTests
{
    [Fact]
    public void Default_expiry_is_utc_midnight_fourteen_days_on_so_co_signers_on_one_day_sign_the_same_bytes()
    {
        var expected = new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);
        var first = new DateTimeOffset(2026, 11, 20, 0, 0, 1, TimeSpan.Zero);
        var last = new DateTimeOffset(2026, 11, 20, 23, 59, 59, TimeSpan.Zero);
        var elsewhere = new DateTimeOffset(2026, 11, 21, 1, 0, 0, TimeSpan.FromHours(2)); // 23:00 UTC on the 20th

        Assert.Equal(expected, ApprovalStatement.DefaultExpiry(first));
        Assert.Equal(expected, ApprovalStatement.DefaultExpiry(last));
        Assert.Equal(expected, ApprovalStatement.DefaultExpiry(elsewhere));
        Assert.Equal(TimeSpan.Zero, ApprovalStatement.DefaultExpiry(elsewhere).Offset);
        Assert.Equal(TimeSpan.FromDays(14), ApprovalStatement.DefaultReleaseValidity);
    }
}
