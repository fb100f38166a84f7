using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Tests.Clips;

namespace HomeVault.Core.Tests.Catalog;

/// <summary>A unit of work holds the connection's lock for its lifetime, and its rows and audit leaves commit together or not at all.</summary>
public sealed class CatalogWorkTests : IDisposable
{
    private readonly ClipTestVault _vault = new();

    public void Dispose() => _vault.Dispose();

    private static AuditEvent Changed(string sha) =>
        new("test", AuditActions.ConfigChanged, "config", new Dictionary<string, string> { ["sha256"] = sha });

    [Fact]
    public void A_write_commits_its_rows_and_leaves_together_or_rolls_both_back()
    {
        using var catalog = new CatalogConnection(_vault.Db, _vault.Audit.Log);
        var size = _vault.Audit.Log.Size();
        using (var work = catalog.Write())
        {
            work.Cameras.Ensure("porch", _vault.T0);
            work.Append(Changed("a"));
            // Disposed without Commit: neither the camera nor the leaf.
        }
        using (var read = catalog.Read())
        {
            Assert.DoesNotContain("porch", read.Cameras.ListNames());
        }
        Assert.Equal(size, _vault.Audit.Log.Size());

        using (var work = catalog.Write())
        {
            work.Cameras.Ensure("porch", _vault.T0);
            Assert.Equal(size, work.Append(Changed("b")));
            work.Commit();
        }
        using (var read = catalog.Read())
        {
            Assert.Contains("porch", read.Cameras.ListNames());
            Assert.Null(read.Transaction);
            Assert.Throws<InvalidOperationException>(read.Commit);
        }
        Assert.Equal(size + 1, _vault.Audit.Log.Size());
    }

    [Fact]
    public void The_lock_is_held_from_begin_to_dispose_and_no_other_thread_gets_it_meanwhile()
    {
        using var catalog = new CatalogConnection(_vault.Db, _vault.Audit.Log);
        bool OtherThreadGetsTheLock()
        {
            var got = false;
            var other = new Thread(() =>
            {
                if (catalog.Gate.TryEnter())
                {
                    got = true;
                    catalog.Gate.Exit();
                }
            });
            other.Start();
            other.Join();
            return got;
        }

        Assert.True(OtherThreadGetsTheLock());
        using (catalog.Write())
        {
            Assert.True(catalog.Gate.IsHeldByCurrentThread);
            Assert.False(OtherThreadGetsTheLock());
        }
        using (catalog.Read())
        {
            Assert.False(OtherThreadGetsTheLock());
        }
        Assert.False(catalog.Gate.IsHeldByCurrentThread);
        Assert.True(OtherThreadGetsTheLock());
    }
}
