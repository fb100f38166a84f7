using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Keys;
using HomeVault.Core.Replica;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault replica restore` (a data directory from the bucket after theft) and `replica fetch` (clips on demand into it).</summary>
internal static class ReplicaRestoreCommands
{
    public static Command BuildRestore()
    {
        var to = new Option<string>("--to") { Description = "The new data directory (must not exist or be empty)", HelpName = "DIR", Required = true };
        var clips = new Option<string>("--clips") { Description = "all: download every sealed clip now; none: fetch them later with 'replica fetch'", DefaultValueFactory = _ => "all" };
        clips.AcceptOnlyFromAmong("all", "none");
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("restore", "Rebuild a data directory from the bucket with its credentials and one owner's passphrase (keys, catalog, audit log, clips)")
        {
            to, clips, passphraseFile,
        };
        command.SetAction(result =>
        {
            var replica = Replica(result);
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), "Passphrase of an owner");
            try
            {
                using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
                var report = ReplicaRestore.RunAsync(store, replica.Prefix, passphrase, result.GetValue(to)!, result.GetValue(clips) == "all", CancellationToken.None)
                    .GetAwaiter().GetResult();
                var log = report.Log;
                foreach (var lost in log.Lost)
                {
                    Console.Out.WriteLine(lost);
                }
                Console.Out.WriteLine($"audit log: {log.Size} entries ({log.SnapshotSize} from the catalog snapshot, the rest from {log.Segments} segment(s), {log.RowsRebuilt} catalog row(s) rebuilt from them)");
                var target = new DataDirectory(result.GetValue(to)!).Root;
                if (report.Clips is { } c)
                {
                    return Finish(c, $"restored {target}: {c.Written} clip(s), {c.Bytes} bytes, each matching the catalog's SHA-256");
                }
                Console.Out.WriteLine($"restored {target} without clips: 'homevault replica fetch --data {target} CLIP_ID...' downloads them");
                return CliApp.Ok;
            }
            finally
            {
                Array.Clear(passphrase);
            }
        });
        return command;
    }

    public static Command BuildFetch()
    {
        var ids = new Argument<long[]>("CLIP_ID") { Description = "Sealed clips to download (see 'clips list --json')", Arity = ArgumentArity.OneOrMore };
        var command = new Command("fetch", "Download sealed clips from the bucket into the data directory (after 'replica restore --clips none'), hash-checked") { ids };
        command.SetAction(result =>
        {
            var replica = Replica(result);
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
            var report = ClipDownloads.RunAsync(vault.Data, vault.Db, store, ReplicaKeys.Load(vault.Db, replica.Prefix), result.GetValue(ids)!.ToHashSet(), CancellationToken.None)
                .GetAwaiter().GetResult();
            return Finish(report, $"fetched {report.Written} clip(s), {report.Bytes} bytes, each matching the catalog's SHA-256; {report.AlreadyThere} already here");
        });
        return command;
    }

    /// <summary>`replica verify --audit [--owner NAME] [--passphrase-file FILE]`.</summary>
    public sealed record AuditOption(Option<bool> Audit, Option<string?> Owner, Option<string?> PassphraseFile);

    public static AuditOption AuditOptions() => new(
        new Option<bool>("--audit") { Description = "Also open the bucket's audit segments (an owner's passphrase) and check they are a prefix of the local log" },
        new Option<string?>("--owner") { Description = "Whose identity opens the segments (default: the only owner)", HelpName = "NAME" },
        CommonOptions.PassphraseFile());

    /// <summary>With --audit: prints the comparison of the bucket's audit log with the local one; returns the number of problems.</summary>
    public static int VerifyAudit(ParseResult result, AuditOption options, Installation vault, ObjectStore store, ReplicaOptions replica)
    {
        if (!result.GetValue(options.Audit))
        {
            return 0;
        }
        var who = vault.ResolveOwner(result.GetValue(options.Owner));
        var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(options.PassphraseFile)), $"Passphrase for owner '{who.Name}'");
        ReplicaAuditReport report;
        try
        {
            using var identity = new OwnerKeyStore(vault.Data).UnlockIdentity(who.Name, passphrase);
            vault.Record(AuditEvent.VaultUnlocked(who.Name, "replica-verify", "audit segments"));
            using var audit = InstallationAudit.Open(vault.Data, vault.Db);
            report = ReplicaAuditCheck.RunAsync(audit.Log, store, new ReplicaLayout(replica.Prefix), identity, CancellationToken.None).GetAwaiter().GetResult();
        }
        finally
        {
            Array.Clear(passphrase);
        }
        foreach (var problem in report.Problems)
        {
            Console.Out.WriteLine(problem);
        }
        if (report.Problems.Count == 0)
        {
            Console.Out.WriteLine($"audit OK: the bucket's log ({report.RemoteSize} entries, its checkpoint signed and consistent) is a prefix of the local one ({report.LocalSize}); {report.LocalSize - report.RemoteSize} not sent yet");
        }
        return report.Problems.Count;
    }

    private static ReplicaOptions Replica(ParseResult result)
    {
        var (options, _) = ConfigLoader.Load(CommonOptions.ConfigFile(result), result.GetValue(CommonOptions.Data) ?? CommonOptions.NonEmptyEnv(CommonOptions.DataEnv));
        return options.Replica ?? throw new UserError("the configuration has no HomeVault:Replica section");
    }

    private static int Finish(ClipDownloadReport report, string ok)
    {
        foreach (var problem in report.Problems)
        {
            Console.Out.WriteLine(problem);
        }
        if (report.Problems.Count > 0)
        {
            throw new UserError($"{report.Problems.Count} clip(s) could not be downloaded (listed above)");
        }
        Console.Out.WriteLine(ok);
        return CliApp.Ok;
    }
}
