namespace HomeVault.Core.Replica;

/// <summary>Keeps uploads at or under a byte rate on average: each body waits until the ones before it have had their time.</summary>
public sealed class Throttle(long bytesPerSecond, TimeProvider time)
{
    private DateTimeOffset _free = DateTimeOffset.MinValue;

    public async Task BeforeSendingAsync(long bytes, CancellationToken ct)
    {
        if (bytesPerSecond <= 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var start = _free > now ? _free : now;
        _free = start + TimeSpan.FromSeconds(bytes / (double)bytesPerSecond);
        if (start > now)
        {
            await Task.Delay(start - now, time, ct).ConfigureAwait(false);
        }
    }
}
