using System.CommandLine;
using System.Globalization;
using System.Text;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Keys;
using HomeVault.Core.Warrants;

namespace HomeVault.Cli.Commands;

internal static partial class RequestsCommands
{
    /// <summary>
    /// Default validity of an approval's release when --expires is not given, counted from today's UTC midnight so that
    /// co-signing owners on the same day produce byte-identical statements.
    /// </summary>
    private static readonly TimeSpan DefaultReleaseValidity = TimeSpan.FromDays(14);

    private static Command BuildApprove()
    {
        var id = new Argument<string>("ID") { Description = "The request id (req_...)" };
        var cameras = new Option<string?>("--cameras") { Description = "Approve only these of the requested cameras (comma-separated; default: all requested)", HelpName = "A,B" };
        var from = new Option<string?>("--from") { Description = "Approve from this time (default: the requested from; never earlier)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Approve up to this time (default: the requested to; never later)", HelpName = "T" };
        var strip = new Option<bool>("--strip-audio") { Description = "The release must carry no audio" };
        var expires = new Option<string?>("--expires") { Description = "The release stops being valid at this time (default: midnight UTC 14 days from today)", HelpName = "T" };
        var owner = new Option<string?>("--owner") { Description = "Sign as this owner (default: the only owner)", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("approve", "Sign an approval statement for a pending request, optionally narrowed; k owners' signatures (the quorum) approve it")
        {
            id, cameras, from, to, strip, expires, owner, passphraseFile,
        };
        command.SetAction(result =>
        {
            var now = TimeProvider.System.GetUtcNow();
            var f = TimeArgument.ParseOptional(result.GetValue(from), "--from");
            var t = TimeArgument.ParseOptional(result.GetValue(to), "--to");
            var until = TimeArgument.ParseOptional(result.GetValue(expires), "--expires")
                ?? new DateTimeOffset(now.UtcDateTime.Date + DefaultReleaseValidity, TimeSpan.Zero);
            using var vault = Vault.Open(CommonOptions.DataDirectory(result));
            var repo = new RequestRepository(vault.Db);
            var q = GetRequest(repo, result.GetValue(id)!);
            if (q.State != RequestState.Pending)
            {
                throw new UserError($"request {q.Id} is {q.State.ToDb()}; only a pending request can be approved");
            }
            var who = vault.ResolveOwner(result.GetValue(owner));
            var chosen = result.GetValue(cameras) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : q.Request.Scope.Cameras;
            ApprovalStatement statement;
            try
            {
                statement = ApprovalStatement.Create(q, chosen, f ?? q.Request.Scope.From, t ?? q.Request.Scope.To, result.GetValue(strip), until, now);
            }
            catch (AccessRequestException ex)
            {
                throw new UserError("cannot approve: " + string.Join("\nhomevault: ", ex.Problems));
            }
            var bytes = statement.ToBytes();
            string signature;
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            try
            {
                using var key = new OwnerKeyStore(vault.Data).UnlockSigningKey(who.Name, passphrase);
                signature = key.Sign(bytes, trustedComment: $"homevault approval {q.Id}").ToFileText();
            }
            finally
            {
                Array.Clear(passphrase);
            }

            var sha = statement.Sha256();
            var dir = Path.Combine(vault.Data.Root, "requests", q.Id);
            var statementPath = Path.Combine(dir, $"approval-{sha[..16]}.txt");
            var signaturePath = $"{statementPath}.{who.Name}.minisig";
            var audit = vault.Audit; // opened outside the transaction: it reads settings
            ApprovalResult outcome;
            using (var tx = vault.Db.BeginTransaction())
            {
                outcome = repo.Approve(q.Id, who.Name, bytes, signature, tx);
                audit.Append(ApprovedEvent(outcome, statement, who.Name), tx);
                audit.Checkpoint(tx);
                // Files before the commit: a failure here rolls the approval back rather than leaving an unsigned record.
                Directory.CreateDirectory(dir);
                OutputFile.Write(statementPath, s => s.Write(bytes), overwrite: true);
                OutputFile.Write(signaturePath, s => s.Write(Encoding.UTF8.GetBytes(signature)), overwrite: true);
                tx.Commit();
            }
            Console.Out.WriteLine($"statement: {statementPath}");
            Console.Out.WriteLine($"signature: {signaturePath}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signers: {outcome.DistinctSigners} of {outcome.Quorum} required{(outcome.AlreadySigned ? $" ({who.Name} had already signed this statement)" : "")}"));
            if (!outcome.QuorumReached)
            {
                var missing = outcome.Quorum - outcome.DistinctSigners;
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"awaiting {missing} more owner signature(s)"));
            }
            else if (outcome.State == RequestState.Preserved)
            {
                Console.Out.WriteLine("preserved: footage in the requested scope is on legal hold; a preservation request is never released");
            }
            else
            {
                Console.Out.WriteLine("approved");
                Console.Out.WriteLine("the release is built by a later step; nothing has left this machine yet");
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildDeny()
    {
        var id = new Argument<string>("ID") { Description = "The request id (req_...)" };
        var reason = new Option<string>("--reason") { Description = "Why (required; kept in the history and the audit log)", Required = true, HelpName = "TEXT" };
        var owner = new Option<string?>("--owner") { Description = "Deny as this owner (default: the only owner)", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("deny", "Deny a pending request; the owner proves presence with their passphrase") { id, reason, owner, passphraseFile };
        command.SetAction(result =>
        {
            using var vault = Vault.Open(CommonOptions.DataDirectory(result));
            var repo = new RequestRepository(vault.Db);
            var q = GetRequest(repo, result.GetValue(id)!);
            if (q.State != RequestState.Pending)
            {
                throw new UserError($"request {q.Id} is {q.State.ToDb()}; only a pending request can be denied");
            }
            var who = vault.ResolveOwner(result.GetValue(owner));
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            try
            {
                // Unlocking the signing key is the proof that this owner, not just someone at the console, decided.
                using (new OwnerKeyStore(vault.Data).UnlockSigningKey(who.Name, passphrase))
                {
                }
            }
            finally
            {
                Array.Clear(passphrase);
            }
            var audit = vault.Audit;
            RequestTransition transition;
            using (var tx = vault.Db.BeginTransaction())
            {
                transition = repo.Deny(q.Id, who.Name, result.GetValue(reason)!, tx);
                audit.Append(new AuditEvent(who.Name, AuditActions.RequestDenied, Subject(q.Id), new Dictionary<string, string>
                {
                    ["digest"] = transition.Digest,
                    ["owner"] = who.Name,
                    ["reason"] = transition.Reason!,
                    ["from_state"] = transition.From.ToDb(),
                }), tx);
                audit.Checkpoint(tx);
                tx.Commit();
            }
            Console.Out.WriteLine($"denied {q.Id} by {who.Name}");
            return CliApp.Ok;
        });
        return command;
    }

    private static AuditEvent ApprovedEvent(ApprovalResult outcome, ApprovalStatement statement, string signer) =>
        new(signer, AuditActions.RequestApproved, Subject(outcome.RequestId), new Dictionary<string, string>
        {
            ["digest"] = outcome.RequestDigest,
            ["statement_sha256"] = outcome.StatementSha256,
            ["signer"] = signer,
            ["distinct_signers"] = outcome.DistinctSigners.ToString(CultureInfo.InvariantCulture),
            ["quorum"] = outcome.Quorum.ToString(CultureInfo.InvariantCulture),
            ["quorum_reached"] = outcome.QuorumReached ? "yes" : "no",
            ["state"] = outcome.State.ToDb(),
            ["cameras"] = string.Join(",", statement.Cameras),
            ["from"] = WireTime.Format(statement.From),
            ["to"] = WireTime.Format(statement.To),
            ["strip_audio"] = statement.StripAudio ? "yes" : "no",
            ["release_expires"] = WireTime.Format(statement.ReleaseExpires),
        });
}
