using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Keys;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault owners add|list`: household members every new clip is sealed to.</summary>
internal static class OwnersCommands
{
    public static Command Build()
    {
        var command = new Command("owners", "Manage the household members whose keys every clip is sealed to");
        command.Subcommands.Add(BuildAdd());
        command.Subcommands.Add(BuildList());
        return command;
    }

    private static Command BuildAdd()
    {
        var name = new Argument<string>("NAME") { Description = "The new owner's name (lower-case letters, digits, '-', '_')" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("add", "Add an owner with their own keys, sealed with their own passphrase; clips sealed afterwards are encrypted to them too")
        {
            name, passphraseFile,
        };
        command.SetAction(result =>
        {
            var owner = result.GetValue(name)!;
            if (!Names.IsValid(owner))
            {
                throw new UserError($"owner name '{owner}' is invalid: use 1-32 lower-case letters, digits, '-' or '_'");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using (var read = vault.Catalog.Read())
            {
                if (read.Owners.Find(owner) is not null)
                {
                    throw new UserError($"owner '{owner}' already exists; nothing was changed");
                }
            }
            var passphrase = Passphrases.ReadNew(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"New passphrase for owner '{owner}'");
            var store = new OwnerKeyStore(vault.Data);
            var now = TimeProvider.System.GetUtcNow();
            OwnerPublicKeys keys;
            try
            {
                keys = store.Create(owner, passphrase, now);
            }
            finally
            {
                Array.Clear(passphrase);
            }
            try
            {
                using var work = vault.Catalog.Write();
                work.Owners.Add(owner, keys.AgeRecipient, keys.MinisignPublicKey, now);
                work.Append(OwnerAddedEvent("cli", keys));
                work.Checkpoint();
                work.Commit();
            }
            catch
            {
                store.DeleteIncomplete(owner);
                throw;
            }
            Console.Out.WriteLine($"owner {owner}: age recipient {keys.AgeRecipient}");
            Console.Out.WriteLine($"owner {owner}: minisign public key {keys.MinisignPublicKey}");
            return CliApp.Ok;
        });
        return command;
    }

    internal static AuditEvent OwnerAddedEvent(string actor, OwnerPublicKeys keys) =>
        new(actor, AuditActions.OwnerAdded, "owner/" + keys.Owner, new Dictionary<string, string>
        {
            ["age_recipient"] = keys.AgeRecipient,
            ["minisign_public_key"] = keys.MinisignPublicKey,
        });

    private static Command BuildList()
    {
        var command = new Command("list", "List owners");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var read = vault.Catalog.Read();
            foreach (var o in read.Owners.List())
            {
                Console.Out.WriteLine($"{o.Name}\tsince {o.Created:yyyy-MM-dd HH:mm:ss}Z");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
