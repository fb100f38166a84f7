using System.CommandLine;
using System.Security.Cryptography;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.IO;
using HomeVault.Core.Keys;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault init`: a new data directory with its catalog, first owner and service key.</summary>
internal static class InitCommand
{
    public static Command Build()
    {
        var owner = new Option<string>("--owner") { Description = "Name of the first owner", DefaultValueFactory = _ => "owner", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("init", "Create a data directory: catalog, the first owner's keys (sealed with their passphrase) and the audit key")
        {
            owner, passphraseFile,
        };
        command.SetAction(result =>
        {
            var data = new DataDirectory(CommonOptions.DataDirectory(result));
            var ownerName = result.GetValue(owner)!;
            if (!Names.IsValid(ownerName))
            {
                throw new UserError($"owner name '{ownerName}' is invalid: use 1-32 lower-case letters, digits, '-' or '_'");
            }
            var existed = NewDirectory.Check(data.Root);
            var passphrase = Passphrases.ReadNew(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"New passphrase for owner '{ownerName}'");
            OwnerPublicKeys keys;
            try
            {
                keys = Initialize(data, ownerName, passphrase, TimeProvider.System.GetUtcNow());
            }
            catch
            {
                NewDirectory.RemoveCreated(data.Root, existed);
                throw;
            }
            finally
            {
                Array.Clear(passphrase);
            }
            Console.Out.WriteLine($"Initialised {data.Root}");
            Console.Out.WriteLine($"owner {ownerName}: age recipient {keys.AgeRecipient}");
            Console.Out.WriteLine($"owner {ownerName}: minisign public key {keys.MinisignPublicKey}");
            Console.Out.WriteLine("Keep the passphrase safe: without it no footage can be opened ('homevault keys export-identity' makes a paper backup).");
            return CliApp.Ok;
        });
        return command;
    }

    internal static OwnerPublicKeys Initialize(DataDirectory data, string ownerName, char[] passphrase, DateTimeOffset now)
    {
        Durable.CreatePrivateDirectory(data.Root);
        Durable.CreatePrivateDirectory(data.KeysDir);
        Durable.CreatePrivateDirectory(data.ClipsDir);
        var keys = new OwnerKeyStore(data).Create(ownerName, passphrase, now);
        InstallationAudit.CreateKey(data);
        using var db = CatalogDatabase.Open(data.CatalogPath, create: true);
        // The install id comes first, in a transaction of its own: the audit log (and so a unit of work) needs it.
        using (var tx = db.BeginTransaction())
        {
            new SettingsRepository(db, tx).Set(SettingsRepository.InstallId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            new OwnerRepository(db, tx).Add(ownerName, keys.AgeRecipient, keys.MinisignPublicKey, now);
            tx.Commit();
        }
        using var catalog = new CatalogConnection(data, db);
        using (var work = catalog.Write())
        {
            work.Append(OwnersCommands.OwnerAddedEvent("cli:init", keys));
            work.Checkpoint();
            work.Commit();
        }
        return keys;
    }
}
