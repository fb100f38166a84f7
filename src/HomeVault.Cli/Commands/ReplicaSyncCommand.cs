using System.CommandLine;
using System.Globalization;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Replica;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault replica sync`: sends every sealed clip the bucket lacks, now, with the replicator `serve` runs, then what a
/// restore needs beside them (the keys, a catalog snapshot, the audit log to its end, as `serve`'s
/// <see cref="MetaReplicator"/> does), and exits 0 once the queue is empty. It holds the data directory's lock while it works, so it refuses to run beside `serve`: two
/// replicators on one queue would both take the oldest clip, both upload it (with Object Lock, a second locked version
/// nobody can remove) and each abort the other's multipart upload as interrupted; and a recorder that seals clips
/// while it runs would move the end it is meant to reach. The first failure stops it with one line; what was sent
/// stays sent, and running it again resumes.
/// </summary>
internal static class ReplicaSyncCommand
{
    public static Command Build()
    {
        var command = new Command("sync", "Replicate every sealed clip the bucket lacks now and exit (with the recorder stopped: before moving or retiring it)");
        command.SetAction(result =>
        {
            var (options, _) = ConfigLoader.Load(CommonOptions.ConfigFile(result), result.GetValue(CommonOptions.Data) ?? CommonOptions.NonEmptyEnv(CommonOptions.DataEnv));
            var replica = options.Replica ?? throw new UserError("the configuration has no HomeVault:Replica section");
            var credentials = ReplicaCredentials.Load(replica.CredentialsFile);
            using var vault = Installation.Open(options.DataDirectory);
            using var held = HoldAgainstRecorder(vault.Data);
            using var store = new ObjectStore(replica, credentials);
            var replicator = ClipReplicator.For(replica, vault.Data, vault.Db, store, TimeProvider.System);
            using var meta = MetaReplicator.For(replica, vault.Data, vault.Db, store, TimeProvider.System);
            var (sent, bytes) = (0, 0L);
            try
            {
                while (replicator.ReplicateNextAsync(CancellationToken.None).GetAwaiter().GetResult() is { } done)
                {
                    sent += done.AlreadyThere ? 0 : 1;
                    bytes += done.AlreadyThere ? 0 : done.Bytes;
                    Console.Out.WriteLine(done.AlreadyThere ? $"clip {done.ClipId}: already in the bucket" : $"clip {done.ClipId}: {done.Bytes} bytes sent");
                }
                // Last, so the snapshot knows every clip as replicated and the log's segment covers the whole log.
                var restore = meta.SendDueAsync(CancellationToken.None).GetAwaiter().GetResult();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"restore objects: catalog snapshot sent{(restore.Keys ? ", keys sent" : "")}{(restore.Segment is { } s ? $", audit entries {s.First}..{s.Next - 1} sent" : "")}"));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var left = new ReplicaBacklog(vault.Db).Lag().Clips;
                throw new UserError(string.Create(CultureInfo.InvariantCulture,
                    $"replica sync: bucket {replica.Bucket} at {replica.Endpoint} failed: {ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}; {left} sealed clip(s) not replicated (run it again to resume)"), ex);
            }
            int all;
            using (var read = vault.Catalog.Read())
            {
                all = read.Clips.Query().Count;
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replica sync: all {all} sealed clips are in bucket {replica.Bucket} ({sent} sent now, {bytes} bytes)"));
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>The data directory's lock, or one line saying that the running recorder replicates it itself.</summary>
    private static DataDirectoryLock HoldAgainstRecorder(DataDirectory data)
    {
        try
        {
            return DataDirectoryLock.Acquire(data);
        }
        catch (DataDirectoryInUseException ex)
        {
            var pid = ex.HolderPid is { } p ? $"PID {p.ToString(CultureInfo.InvariantCulture)}" : "PID unknown";
            throw new UserError($"replica sync: {data.Root} is in use by a running recorder ({pid}), whose replica service sends the backlog itself " +
                "(see the replica line of 'homevault cameras status'); stop it first to sync from here", ex);
        }
    }
}
