using System.CommandLine;
using System.Globalization;
using System.Text;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Json;
using HomeVault.Recording.ReleasedClips;

namespace HomeVault.Cli.Commands;

internal static partial class RequestsCommands
{
    private static Command BuildApprove()
    {
        var id = new Argument<string>("ID") { Description = "The request id (req_...)" };
        var cameras = new Option<string?>("--cameras") { Description = "Approve only these of the requested cameras (comma-separated; default: all requested)", HelpName = "A,B" };
        var from = new Option<string?>("--from") { Description = "Approve from this time (default: the requested from; never earlier)", HelpName = "T" };
        var to = new Option<string?>("--to") { Description = "Approve up to this time (default: the requested to; never later)", HelpName = "T" };
        var strip = new Option<bool>("--strip-audio") { Description = "The release must carry no audio" };
        var expires = new Option<string?>("--expires") { Description = "The release stops being valid at this time (default: midnight UTC 14 days from today)", HelpName = "T" };
        var owner = new Option<string?>("--owner") { Description = "Sign as this owner (default: the only owner)", HelpName = "NAME" };
        var outDir = new Option<string?>("--out") { Description = "Write the release as DIR/ID and DIR/ID.tar (default: DATA/releases)", HelpName = "DIR" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("approve", "Sign an approval statement for a pending request, optionally narrowed; the quorum's last signature builds the release")
        {
            id, cameras, from, to, strip, expires, owner, outDir, passphraseFile,
        };
        command.SetAction(result =>
        {
            var f = TimeArgument.ParseOptional(result.GetValue(from), "--from");
            var t = TimeArgument.ParseOptional(result.GetValue(to), "--to");
            var until = TimeArgument.ParseOptional(result.GetValue(expires), "--expires");
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var q = GetRequest(vault, result.GetValue(id)!);
            var who = vault.ResolveOwner(result.GetValue(owner));
            var chosen = result.GetValue(cameras)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var approval = new ApproveCommand(q.Id, who.Name, chosen, f, t, result.GetValue(strip), until, result.GetValue(outDir));
            ApproveOutcome outcome;
            using (var disclosure = new DisclosureService(vault.Data, vault.Db, media: new ReleaseMedia()))
            {
                outcome = WithPassphrase(result.GetValue(passphraseFile), who.Name, pass =>
                {
                    try
                    {
                        return disclosure.Approve(approval, pass, CancellationToken.None);
                    }
                    catch (AccessRequestException ex)
                    {
                        throw new UserError("cannot approve: " + string.Join("\nhomevault: ", ex.Problems));
                    }
                });
            }
            Console.Out.WriteLine($"statement: {outcome.StatementPath}");
            Console.Out.WriteLine($"signature: {outcome.SignaturePath}");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"signers: {outcome.DistinctSigners} of {outcome.Quorum} required{(outcome.AlreadySigned ? $" ({who.Name} had already signed this statement)" : "")}"));
            if (!outcome.QuorumReached)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"awaiting {outcome.Quorum - outcome.DistinctSigners} more owner signature(s)"));
            }
            else if (outcome.State == RequestState.Preserved)
            {
                Console.Out.WriteLine("preserved: footage in the requested scope is on legal hold; a preservation request is never released");
            }
            else if (outcome.ReleaseNotBuilt is { } why)
            {
                Console.Out.WriteLine("approved");
                Console.Out.WriteLine($"release not built: {why}");
                Console.Out.WriteLine($"an owner who signed and whose key sealed the footage builds it with 'homevault requests approve {outcome.RequestId}'");
            }
            else if (outcome.Release is { } release)
            {
                Console.Out.WriteLine(outcome.AlreadySigned && outcome.State == RequestState.Released ? "approved earlier; release built now" : "approved");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"released: {release.Clips} clip(s), {release.Bytes} bytes, encrypted to the requester only; expires {WireTime.Format(release.Expires)}"));
                Console.Out.WriteLine($"token: {release.CapabilityToken} (shown once: the recipient downloads with it; only its hash is kept)");
                Console.Out.WriteLine($"tar: {release.TarPath}");
                Console.Out.WriteLine(release.Directory);
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
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var q = GetRequest(vault, result.GetValue(id)!);
            var who = vault.ResolveOwner(result.GetValue(owner));
            using var disclosure = new DisclosureService(vault.Data, vault.Db);
            WithPassphrase(result.GetValue(passphraseFile), who.Name, pass => disclosure.Deny(q.Id, who.Name, pass, result.GetValue(reason)!));
            Console.Out.WriteLine($"denied {q.Id} by {who.Name}");
            return CliApp.Ok;
        });
        return command;
    }

    /// <summary>Reads the owner's passphrase (file or terminal) as UTF-8 for one act and wipes both copies afterwards.</summary>
    internal static T WithPassphrase<T>(string? passphraseFile, string owner, Func<byte[], T> act)
    {
        var chars = Passphrases.Read(Passphrases.FileFrom(passphraseFile), $"Passphrase for owner '{owner}'");
        var bytes = Encoding.UTF8.GetBytes(chars);
        Array.Clear(chars);
        try
        {
            return act(bytes);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
