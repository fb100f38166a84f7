using System.CommandLine;
using System.Text;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Keys;
using HomeVault.Core.Vault;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault encrypt` and `homevault decrypt`: age v1 files, interoperable with the `age` tool.</summary>
internal static class VaultCommands
{
    public static Command BuildEncrypt()
    {
        var recipients = new Option<string[]>("--recipient", "-r") { Description = "An age1... recipient (repeatable)", Required = true, HelpName = "RECIPIENT", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default: FILE.age; '-' for standard output)", HelpName = "OUT" };
        var armor = new Option<bool>("--armor", "-a") { Description = "Write ASCII-armored (PEM-style) output" };
        var file = new Argument<string>("FILE") { Description = "The file to encrypt" };
        var command = new Command("encrypt", "Encrypt a file to one or more age recipients (stock 'age -d' decrypts it)") { recipients, output, armor, file };
        command.SetAction(result =>
        {
            var parsed = new List<IRecipient>();
            foreach (var r in result.GetValue(recipients)!)
            {
                if (!X25519Recipient.TryParse(r, out var recipient))
                {
                    // Never echo the value: a mistaken secret key would end up on screen and in shell logs.
                    throw new UserError(r.StartsWith("AGE-SECRET-KEY-", StringComparison.OrdinalIgnoreCase)
                        ? "recipient: that is a secret key (AGE-SECRET-KEY-1...), not a recipient; use its public age1... key"
                        : $"recipient #{parsed.Count + 1} is not a valid age1... X25519 recipient");
                }
                parsed.Add(recipient!);
            }
            var input = result.GetValue(file)!;
            using var source = OpenInput(input);
            OutputFile.Write(result.GetValue(output) ?? input + ".age", dest =>
            {
                using var age = Age.EncryptingStream(dest, parsed, armor: result.GetValue(armor), leaveOpen: true);
                source.CopyTo(age);
                age.Complete();
            });
            return CliApp.Ok;
        });
        return command;
    }

    public static Command BuildDecrypt()
    {
        var identities = new Option<string[]>("--identity", "-i") { Description = "Identity file (plain, or itself passphrase-protected with age); repeatable. Default: the owner's identity in the data directory", HelpName = "IDENTITY" };
        var owner = new Option<string?>("--owner") { Description = "Use this owner's identity from the data directory (default: the only owner)", HelpName = "NAME" };
        var output = new Option<string?>("--output", "-o") { Description = "Output file (default: standard output)", HelpName = "OUT" };
        var salvage = new Option<bool>("--salvage") { Description = "Recover a truncated file (crash mid-write) up to its last authenticated chunk" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var file = new Argument<string>("FILE") { Description = "The age file to decrypt" };
        var command = new Command("decrypt", "Decrypt an age file with an identity, an owner's sealed identity, or a passphrase")
        {
            identities, owner, output, salvage, passphraseFile, file,
        };
        command.SetAction(result =>
        {
            var input = result.GetValue(file)!;
            var passFile = Passphrases.FileFrom(result.GetValue(passphraseFile));
            var ids = LoadIdentities(result, result.GetValue(identities) ?? [], result.GetValue(owner), passFile, input);
            try
            {
                var outPath = result.GetValue(output) ?? "-";
                if (outPath == "-" && !Console.IsOutputRedirected)
                {
                    throw new UserError("refusing to write decrypted data to a terminal: use -o OUT or redirect standard output");
                }
                using var source = OpenInput(input);
                if (result.GetValue(salvage))
                {
                    SalvageResult? outcome = null;
                    OutputFile.Write(outPath, dest => outcome = Age.Salvage(source, dest, ids));
                    Console.Error.WriteLine(outcome!.Complete
                        ? $"file is complete: {outcome.BytesRecovered} bytes in {outcome.ChunksRecovered} chunks"
                        : $"recovered {outcome.BytesRecovered} bytes ({outcome.ChunksRecovered} authenticated chunks); the rest is lost: {outcome.Message}");
                    return outcome.BytesRecovered > 0 || outcome.Complete ? CliApp.Ok : CliApp.Failure;
                }
                OutputFile.Write(outPath, dest => Age.Decrypt(source, dest, ids));
                return CliApp.Ok;
            }
            finally
            {
                foreach (var id in ids)
                {
                    (id as IDisposable)?.Dispose();
                }
            }
        });
        return command;
    }

    private static List<IIdentity> LoadIdentities(ParseResult result, string[] identityFiles, string? owner, string? passFile, string input)
    {
        var ids = new List<IIdentity>();
        if (identityFiles.Length > 0)
        {
            foreach (var path in identityFiles)
            {
                ids.AddRange(ReadIdentityFile(path, passFile));
            }
            return ids;
        }
        if (owner is null && IsPassphraseFile(input))
        {
            var pass = Passphrases.Read(passFile, "Passphrase");
            try
            {
                ids.Add(new ScryptIdentity(pass));
            }
            finally
            {
                Array.Clear(pass);
            }
            return ids;
        }
        using var vault = Installation.Open(CommonOptions.DataDirectory(result));
        var who = vault.ResolveOwner(owner);
        var passphrase = Passphrases.Read(passFile, $"Passphrase for owner '{who.Name}'");
        try
        {
            ids.Add(new OwnerKeyStore(vault.Data).UnlockIdentity(who.Name, passphrase));
            vault.Record(AuditEvent.VaultUnlocked(who.Name, "decrypt", input));
        }
        finally
        {
            Array.Clear(passphrase);
        }
        return ids;
    }

    /// <summary>An identity file as age-keygen writes it, or such a file sealed with a passphrase.</summary>
    internal static IReadOnlyList<X25519Identity> ReadIdentityFile(string path, string? passFile)
    {
        var bytes = File.ReadAllBytes(path);
        try
        {
            if (LooksLikeAge(bytes))
            {
                var pass = Passphrases.Read(passFile, $"Passphrase for identity file {path}");
                using var scrypt = new ScryptIdentity(pass);
                Array.Clear(pass);
                using var plain = new MemoryStream();
                try
                {
                    Age.Decrypt(new MemoryStream(bytes), plain, [scrypt]);
                }
                catch (AgeException ex) when (ex.Kind == AgeErrorKind.NoIdentityMatched)
                {
                    throw new UserError($"identity file {path}: wrong passphrase");
                }
                var parsedSealed = ParseIdentities(path, Encoding.UTF8.GetString(plain.GetBuffer(), 0, (int)plain.Length));
                Array.Clear(plain.GetBuffer());
                return parsedSealed;
            }
            return ParseIdentities(path, Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static IReadOnlyList<X25519Identity> ParseIdentities(string path, string text)
    {
        try
        {
            var list = IdentityFile.Parse(text);
            return list.Count > 0 ? list : throw new UserError($"identity file {path}: no AGE-SECRET-KEY-1 identity in it");
        }
        catch (AgeException ex)
        {
            throw new UserError($"identity file {path}: {ex.Message}");
        }
    }

    private static bool LooksLikeAge(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith("age-encryption.org/v1\n"u8) || bytes.TrimStart(" \t\r\n"u8).StartsWith("-----BEGIN AGE ENCRYPTED FILE-----"u8);

    /// <summary>True when the file, binary or armored, is sealed with a passphrase (scrypt), not to keys.</summary>
    private static bool IsPassphraseFile(string path)
    {
        if (path == "-" || !File.Exists(path))
        {
            return false;
        }
        using var f = File.OpenRead(path);
        return Age.IsPassphraseEncrypted(f);
    }

    private static Stream OpenInput(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }
        if (!File.Exists(path))
        {
            throw new UserError($"input file {path} does not exist");
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }
}
