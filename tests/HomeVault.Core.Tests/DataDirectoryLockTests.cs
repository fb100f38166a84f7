using System.Globalization;
using HomeVault.Core.Clips;
using HomeVault.Core.Tests.Clips;
using HomeVault.Tests;

namespace HomeVault.Core.Tests;

public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly ClipTestVault _vault = new();

    public void Dispose() => _vault.Dispose();

    /// <summary>util-linux flock(1) in another process: exit 0 if it could take the lock at once, 1 if held.</summary>
    private static int OtherProcessLocks(string path) => TestEnv.Run(TestEnv.Tool("flock"), ["--nonblock", "--conflict-exit-code", "1", path, "true"]).Exit;

    [Fact]
    public void The_lock_excludes_other_processes_names_this_one_and_is_shared_within_it_until_the_last_release()
    {
        var first = DataDirectoryLock.Acquire(_vault.Data);
        // Read by another process: .NET's own reads take a shared flock, which the held lock refuses.
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n",
            System.Text.Encoding.ASCII.GetString(TestEnv.Run(TestEnv.Tool("cat"), [_vault.Data.LockPath]).Stdout));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_vault.Data.LockPath));
        Assert.Equal(1, OtherProcessLocks(_vault.Data.LockPath));

        var second = DataDirectoryLock.Acquire(new DataDirectory(_vault.Data.Root + "/"));
        first.Dispose();
        Assert.False(first.IsHeld);
        Assert.True(second.IsHeld);
        Assert.Equal(1, OtherProcessLocks(_vault.Data.LockPath));
        second.Dispose();
        Assert.Equal(0, OtherProcessLocks(_vault.Data.LockPath));
        Assert.True(File.Exists(_vault.Data.LockPath), "the lock file stays (unlinking it would race)");
    }

    [Fact]
    public void Only_the_lock_holder_may_reconcile()
    {
        var store = _vault.Store();
        var released = DataDirectoryLock.Acquire(_vault.Data);
        released.Dispose();
        Assert.Throws<InvalidOperationException>(() => ClipReconciler.Reconcile(store, released));

        var elsewhere = new DataDirectory(TestEnv.NewTempDir("hvother"));
        using var foreign = DataDirectoryLock.Acquire(elsewhere);
        Assert.Throws<InvalidOperationException>(() => ClipReconciler.Reconcile(store, foreign));

        using var held = DataDirectoryLock.Acquire(_vault.Data);
        Assert.Empty(ClipReconciler.Reconcile(store, held).TruncatedClips);
    }
}
