namespace HomeVault.Recording.Tests.Support;

/// <summary>Waiting for a condition, never for a fixed time.</summary>
internal static class Wait
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails the test naming <paramref name="what"/> after <paramref name="within"/> (30 s by default).</summary>
    public static async Task Until(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
