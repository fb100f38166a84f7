using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Keys;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault keys show|export-identity`.</summary>
internal static class KeysCommands
{
    public static Command Build()
    {
        var command = new Command("keys", "Show owners' public keys, or export an identity for a paper backup");
        command.Subcommands.Add(BuildShow());
        command.Subcommands.Add(BuildExportIdentity());
        return command;
    }

    private static Command BuildShow()
    {
        var command = new Command("show", "Print each owner's age recipient and minisign public key");
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            using var read = vault.Catalog.Read();
            foreach (var o in read.Owners.List())
            {
                Console.Out.WriteLine($"owner {o.Name}");
                Console.Out.WriteLine($"  age recipient:       {o.AgeRecipient}");
                Console.Out.WriteLine($"  minisign public key: {o.MinisignPublicKey}");
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static Command BuildExportIdentity()
    {
        var owner = new Option<string?>("--owner") { Description = "Whose identity (default: the only owner)", HelpName = "NAME" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("export-identity", "Print the owner's plain AGE-SECRET-KEY-1... identity (for a paper backup) after their passphrase")
        {
            owner, passphraseFile,
        };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var who = vault.ResolveOwner(result.GetValue(owner));
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            try
            {
                using var identity = new OwnerKeyStore(vault.Data).UnlockIdentity(who.Name, passphrase);
                vault.Record(new AuditEvent(who.Name, AuditActions.IdentityExported, "owner/" + who.Name));
                Console.Error.WriteLine($"WARNING: this is owner '{who.Name}''s unprotected secret key. Anyone who reads it can open every clip sealed to them. Write it on paper; do not store it on a computer.");
                Console.Out.WriteLine(identity.ExportSecret());
            }
            finally
            {
                Array.Clear(passphrase);
            }
            return CliApp.Ok;
        });
        return command;
    }
}
