using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Replica;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault replica verify`; `restore` and `fetch` are in <see cref="ReplicaRestoreCommands"/>.</summary>
internal static class ReplicaCommands
{
    public static Command Build()
    {
        var command = new Command("replica", "The off-site replica in the configured S3 bucket");
        command.Subcommands.Add(BuildVerify());
        command.Subcommands.Add(ReplicaSyncCommand.Build());
        command.Subcommands.Add(ReplicaRestoreCommands.BuildRestore());
        command.Subcommands.Add(ReplicaRestoreCommands.BuildFetch());
        return command;
    }

    private static Command BuildVerify()
    {
        var deep = new Option<bool>("--deep") { Description = "Also read every clip back and compare its SHA-256" };
        var audit = ReplicaRestoreCommands.AuditOptions();
        var command = new Command("verify", "Check that the bucket holds every sealed clip of the catalog (size; with --deep, SHA-256); names each one missing")
        {
            deep, audit.Audit, audit.Owner, audit.PassphraseFile,
        };
        command.SetAction(result =>
        {
            var (options, _) = ConfigLoader.Load(CommonOptions.ConfigFile(result), result.GetValue(CommonOptions.Data) ?? CommonOptions.NonEmptyEnv(CommonOptions.DataEnv));
            var replica = options.Replica ?? throw new UserError("the configuration has no HomeVault:Replica section");
            using var vault = Installation.Open(options.DataDirectory);
            using var store = new ObjectStore(replica, ReplicaCredentials.Load(replica.CredentialsFile));
            var found = ReplicaVerifier.VerifyAsync(vault.Db, store, ReplicaKeys.Load(vault.Db, replica.Prefix), result.GetValue(deep), CancellationToken.None)
                .GetAwaiter().GetResult();
            foreach (var problem in found.Problems)
            {
                Console.Out.WriteLine(problem);
            }
            var auditProblems = ReplicaRestoreCommands.VerifyAudit(result, audit, vault, store, replica);
            if (found.Problems.Count > 0)
            {
                throw new UserError($"replica verify: {found.Problems.Count} of {found.Checked} sealed clips are missing or wrong in bucket {replica.Bucket}");
            }
            if (auditProblems > 0)
            {
                throw new UserError($"replica verify: the bucket's audit log is not a prefix of the local one ({auditProblems} problem(s) above)");
            }
            Console.Out.WriteLine($"replica OK: all {found.Checked} sealed clips are in bucket {replica.Bucket}{(result.GetValue(deep) ? " with the catalog's SHA-256" : "")}");
            return CliApp.Ok;
        });
        return command;
    }
}
