using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requesters;
using HomeVault.Core.Vault;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault requesters add|list|revoke`: the parties allowed to submit access requests over HTTP. Each gets a bearer
/// token, printed once; only its SHA-256 is kept.
/// </summary>
internal static class RequestersCommands
{
    public static Command Build()
    {
        var command = new Command("requesters", "Manage who may submit access requests over HTTP (bearer tokens)");
        command.Subcommands.Add(BuildAdd());
        command.Subcommands.Add(BuildList());
        command.Subcommands.Add(BuildRevoke());
        return command;
    }

    private static Command BuildAdd()
    {
        var name = new Argument<string>("NAME") { Description = "A name for the requester (lower-case letters, digits, '-', '_')" };
        var recipient = new Option<string>("--recipient") { Description = "The age recipient (age1...) their footage may be released to; requests must name it", Required = true, HelpName = "AGE1" };
        var command = new Command("add", "Allow a requester to submit over HTTP; prints their bearer token as the last line (shown only once)") { name, recipient };
        command.SetAction(result =>
        {
            var who = result.GetValue(name)!;
            if (!Names.IsValid(who))
            {
                throw new UserError($"requester name '{who}' is invalid: use 1-32 lower-case letters, digits, '-' or '_'");
            }
            if (!X25519Recipient.TryParse(result.GetValue(recipient), out var key))
            {
                throw new UserError("--recipient: not an age X25519 recipient (age1...)");
            }
            var normalized = key!.ToString();
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using (var read = vault.Catalog.Read())
            {
                if (read.Requesters.Find(who) is not null)
                {
                    throw new UserError($"requester '{who}' already exists (names are never reused, even after revoking); nothing was changed");
                }
            }
            var token = RequesterToken.New();
            using (var work = vault.Catalog.Write())
            {
                work.Requesters.Add(who, normalized, token, TimeProvider.System.GetUtcNow());
                work.Append(new AuditEvent("cli", AuditActions.RequesterAdded, "requester/" + who, new Dictionary<string, string>
                {
                    ["recipient"] = normalized,
                }));
                work.Checkpoint();
                work.Commit();
            }
            Console.Out.WriteLine($"requester {who}: recipient {normalized}");
            Console.Error.WriteLine("homevault: the token below is shown only this once; give it to the requester over a private channel");
            Console.Out.WriteLine(token);
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildList()
    {
        var command = new Command("list", "List requesters (name, state, created, recipient); tokens are never shown again");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var read = vault.Catalog.Read();
            var all = read.Requesters.List();
            foreach (var r in all)
            {
                var state = r.Revoked is { } at ? "revoked " + at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "active";
                Console.Out.WriteLine($"{r.Name}  {state}  {r.Created.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {r.Recipient}");
            }
            Console.Error.WriteLine($"{all.Count} requesters");
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildRevoke()
    {
        var name = new Argument<string>("NAME") { Description = "The requester whose token stops working now" };
        var command = new Command("revoke", "Revoke a requester's token (their earlier requests stay on record)") { name };
        command.SetAction(result =>
        {
            var who = result.GetValue(name)!;
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using (var work = vault.Catalog.Write())
            {
                if (!work.Requesters.Revoke(who, TimeProvider.System.GetUtcNow()))
                {
                    throw new UserError($"no active requester named '{who}' (see 'homevault requesters list')");
                }
                work.Append(new AuditEvent("cli", AuditActions.RequesterRevoked, "requester/" + who));
                work.Checkpoint();
                work.Commit();
            }
            Console.Out.WriteLine($"revoked {who}");
            return CliApp.Ok;
        });
        return command;
    }
}
