using System.CommandLine;
using System.Globalization;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Json;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault releases list|revoke|expire`: the life cycle of built releases (never their tokens).</summary>
internal static class ReleasesCommands
{
    public static Command Build()
    {
        var command = new Command("releases", "List built releases, revoke one (its files are deleted), or delete expired ones now");
        command.Subcommands.Add(BuildList());
        command.Subcommands.Add(BuildRevoke());
        command.Subcommands.Add(BuildExpire());
        return command;
    }

    private static Command BuildList()
    {
        var command = new Command("list", "Releases newest first: state, expiry, clips, bytes, downloads and where they are");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var disclosure = new DisclosureService(vault.Data, vault.Db);
            var releases = disclosure.ListReleases();
            if (releases.Count == 0)
            {
                Console.Out.WriteLine("no releases");
            }
            foreach (var r in releases)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.RequestId}  {ReleaseRepository.ToDb(r.State),-7}  built {WireTime.Format(r.Built)}  expires {WireTime.Format(r.Expires)}  {r.Clips} clip(s)  {r.Bytes} B  {r.Downloads} download(s)  {(r.State == ReleaseState.Active ? r.TarPath : "(files deleted)")}"));
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildRevoke()
    {
        var id = new Argument<string>("ID") { Description = "The request id (req_...) whose approval or release is withdrawn" };
        var reason = new Option<string>("--reason") { Description = "Why (required; kept in the history and the audit log)", Required = true, HelpName = "TEXT" };
        var owner = new Option<string?>("--owner") { Description = "Revoke as this owner (default: the only owner)", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("revoke", "Withdraw a release (its directory and .tar are deleted) or an approval; audited") { id, reason, owner, passphraseFile };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var who = vault.ResolveOwner(result.GetValue(owner));
            using var disclosure = new DisclosureService(vault.Data, vault.Db);
            var requestId = result.GetValue(id)!;
            var transition = RequestsCommands.WithPassphrase(result.GetValue(passphraseFile), who.Name,
                pass => disclosure.Revoke(requestId, who.Name, pass, result.GetValue(reason)!));
            Console.Out.WriteLine($"revoked {transition.RequestId} by {who.Name} (was {transition.From.ToDb()}){(transition.From == RequestState.Released ? "; release files deleted" : "")}");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildExpire()
    {
        var command = new Command("expire", "Delete every release past its expiry now (the recorder also does this once a minute); audited");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var disclosure = new DisclosureService(vault.Data, vault.Db);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{disclosure.ExpireDue()} expired release(s) deleted"));
            return CliApp.Ok;
        });
        return command;
    }
}
