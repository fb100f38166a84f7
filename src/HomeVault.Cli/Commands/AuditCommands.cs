using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Keys;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault audit ...`: the tamper-evident log, its checkpoints and proofs.</summary>
internal static class AuditCommands
{
    public static Command Build()
    {
        var command = new Command("audit", "Inspect and verify the tamper-evident audit log (RFC 6962 Merkle tree, C2SP signed checkpoints)");
        command.Subcommands.Add(BuildVerify());
        command.Subcommands.Add(BuildLog());
        command.Subcommands.Add(BuildCheckpoint());
        command.Subcommands.Add(BuildKey());
        command.Subcommands.Add(BuildProve());
        command.Subcommands.Add(BuildConsistency());
        command.Subcommands.Add(BuildCosign());
        return command;
    }

    private static Command BuildVerify()
    {
        var noHash = new Option<bool>("--no-hash-files") { Description = "Check that clip files exist but do not re-hash them (faster on a large archive)" };
        var logKey = new Option<string?>("--log-key") { Description = "The log's verifier key as you recorded it elsewhere; refuse a log signed by any other key", HelpName = "KEY" };
        var command = new Command("verify", "Recompute every leaf, node and checkpoint signature, and check each clip, run and gap row and each clip file against the log") { noHash, logKey };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            // The key on this disk is only as trustworthy as the disk: an auditor pins the one they recorded.
            if (result.GetValue(logKey) is { } pinned && pinned.Trim() != vault.Audit.VerifierKey)
            {
                throw new UserError($"audit verification FAILED: this log is signed by {vault.Audit.VerifierKey}, not by the pinned key");
            }
            IEnumerable<string> owners;
            using (var read = vault.Catalog.Read())
            {
                owners = read.Owners.List(includeRemoved: true).Select(o => o.Name);
            }
            var report = vault.Audit.Verify(new AuditVerifyOptions
            {
                DataDirectory = vault.Data.Root,
                HashClipFiles = !result.GetValue(noHash),
                TrustedCosigners = new OwnerKeyStore(vault.Data).CosignVerifiers(owners),
            });
            if (!report.Ok)
            {
                throw new UserError("audit verification FAILED: " + report.FirstProblem);
            }
            var c = report.Counts;
            Console.Out.WriteLine($"audit log OK: {c.Entries} entries, {c.Checkpoints} checkpoints ({c.Cosignatures} co-signatures), {c.Clips} clips linked, {c.ClipFilesHashed} clip files hashed, {c.Runs} runs and {c.Gaps} gaps linked");
            // The record is intact (said above), but a file tied to no leaf breaks the "and back" promise: name it and fail.
            if (report.UnknownClipFiles.Count > 0)
            {
                throw new UserError("audit verify: " + report.UnknownFilesText());
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildLog()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of entries (index, leafHash in hex, time, actor, action, subject, details)" };
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time (RFC 3339 or YYYY-MM-DD)", HelpName = "T" };
        var command = new Command("log", "List audit entries") { json, since };
        command.SetAction(result =>
        {
            var from = TimeArgument.ParseOptional(result.GetValue(since), "--since") ?? DateTimeOffset.UnixEpoch;
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var entries = vault.Audit.EntriesSince(from, int.MaxValue);
            if (result.GetValue(json))
            {
                using var writer = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
                writer.WriteStartArray();
                foreach (var e in entries)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("index", e.Index);
                    writer.WriteString("leafHash", Convert.ToHexStringLower(e.LeafHash.Span));
                    writer.WriteString("time", TimeArgument.Format(e.Time));
                    writer.WriteString("actor", e.Event.Actor);
                    writer.WriteString("action", e.Event.Action);
                    writer.WriteString("subject", e.Event.Subject);
                    writer.WriteStartObject("details");
                    foreach (var (k, v) in e.Event.Details.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        writer.WriteString(k, v);
                    }
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.Flush();
                Console.Out.WriteLine();
                return CliApp.Ok;
            }
            foreach (var e in entries)
            {
                var details = string.Join(' ', e.Event.Details.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
                Console.Out.WriteLine(TerminalText.Safe(string.Create(CultureInfo.InvariantCulture, $"{e.Index,6}  {TimeArgument.Format(e.Time)}  {e.Event.Actor,-12} {e.Event.Action,-20} {e.Event.Subject}  {details}")));
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildCheckpoint()
    {
        var command = new Command("checkpoint", "Print the latest signed checkpoint (making one if the log grew since)");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            Console.Out.Write(vault.Audit.Checkpoint().Note);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildKey()
    {
        var command = new Command("key", "Print the log's verifier key (signed-note form name+keyid+base64)");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            Console.Out.WriteLine(vault.Audit.VerifierKey);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildProve()
    {
        var index = new Argument<long>("INDEX") { Description = "The entry's index" };
        var command = new Command("prove", "Print a C2SP tlog-proof that entry INDEX is in the log (inclusion hashes and signed checkpoint)") { index };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var i = result.GetValue(index);
            var size = vault.Audit.Size();
            if (i < 0 || i >= size)
            {
                throw new UserError($"INDEX {i} is outside the log (it has {size} entries, 0..{size - 1})");
            }
            Console.Out.Write(vault.Audit.Prove(i).ToText());
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildCosign()
    {
        var owner = new Option<string?>("--owner") { Description = "Co-sign as this owner (default: the only owner)", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("cosign", "Co-sign the latest checkpoint with the owner's own checkpoint key (created on first use), and print it") { owner, passphraseFile };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var who = vault.ResolveOwner(result.GetValue(owner));
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            try
            {
                using var signer = new OwnerKeyStore(vault.Data).UnlockOrCreateCosigner(who.Name, passphrase);
                var checkpoint = vault.Audit.Checkpoint();
                Console.Out.Write(vault.Audit.CoSign(checkpoint.Id, signer).Note);
                Console.Error.WriteLine($"co-signed as {signer.Verifier.VerifierKey}");
            }
            finally
            {
                Array.Clear(passphrase);
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildConsistency()
    {
        var file = new Argument<string>("OLD_CHECKPOINT_FILE") { Description = "A signed checkpoint kept from earlier" };
        var command = new Command("consistency", "Prove that the current log extends a checkpoint kept earlier, or say that it does not") { file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UserError($"checkpoint file {path} does not exist");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var outcome = vault.Audit.CheckConsistency(File.ReadAllText(path));
            if (!outcome.Ok)
            {
                throw new UserError("NOT consistent: " + outcome.Message);
            }
            Console.Out.Write(outcome.ToText());
            return CliApp.Ok;
        });
        return command;
    }
}
