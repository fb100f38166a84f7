using System.CommandLine;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Keys;
using HomeVault.Core.Signing;

namespace HomeVault.Cli.Commands;

/// <summary>`homevault sign` and `homevault verify-signature`: minisign-format, so `minisign -V` agrees.</summary>
internal static class SignatureCommands
{
    public static Command BuildSign()
    {
        var output = new Option<string?>("--output", "-o") { Description = "Signature file (default: FILE.minisig)", HelpName = "SIG" };
        var owner = new Option<string?>("--owner") { Description = "Sign as this owner (default: the only owner)", HelpName = "NAME" };
        var comment = new Option<string?>("--trusted-comment", "-t") { Description = "Trusted comment (signed); default: timestamp and file name", HelpName = "TEXT" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var file = new Argument<string>("FILE") { Description = "The file to sign" };
        var command = new Command("sign", "Sign a file with an owner's key in minisign format (prehashed Ed25519)") { output, owner, comment, passphraseFile, file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new UserError($"input file {path} does not exist");
            }
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var who = vault.ResolveOwner(result.GetValue(owner));
            var passphrase = Passphrases.Read(Passphrases.FileFrom(result.GetValue(passphraseFile)), $"Passphrase for owner '{who.Name}'");
            MinisignSignature signature;
            try
            {
                using var key = new OwnerKeyStore(vault.Data).UnlockSigningKey(who.Name, passphrase);
                vault.Record(AuditEvent.VaultUnlocked(who.Name, "sign", path));
                signature = key.SignFile(path, result.GetValue(comment), $"signature from HomeVault owner {who.Name}");
            }
            catch (ArgumentException ex)
            {
                throw new UserError($"cannot sign: {ex.Message}");
            }
            finally
            {
                Array.Clear(passphrase);
            }
            var sigPath = result.GetValue(output) ?? path + ".minisig";
            OutputFile.Write(sigPath, s => s.Write(System.Text.Encoding.UTF8.GetBytes(signature.ToFileText())), overwrite: true);
            Console.Out.WriteLine(sigPath);
            return CliApp.Ok;
        });
        return command;
    }

    public static Command BuildVerify()
    {
        var sig = new Option<string?>("--sig", "-x") { Description = "Signature file (default: FILE.minisig)", HelpName = "SIG" };
        var key = new Option<string>("--key", "-p") { Description = "Public key: a minisign .pub file, or the base64 key itself", Required = true, HelpName = "PUB" };
        var file = new Argument<string>("FILE") { Description = "The signed file" };
        var command = new Command("verify-signature", "Verify a minisign signature (prehashed ED or legacy Ed)") { sig, key, file };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var keyArg = result.GetValue(key)!;
            var sigPath = result.GetValue(sig) ?? path + ".minisig";
            if (!File.Exists(path))
            {
                throw new UserError($"input file {path} does not exist");
            }
            if (!File.Exists(sigPath))
            {
                throw new UserError($"signature file {sigPath} does not exist");
            }
            var keyText = File.Exists(keyArg) ? File.ReadAllText(keyArg) : keyArg;
            if (!MinisignPublicKey.TryParse(keyText, out var pub, out var keyError))
            {
                throw new UserError($"public key {(File.Exists(keyArg) ? keyArg : "argument")}: {keyError}");
            }
            if (!MinisignSignature.TryParse(File.ReadAllBytes(sigPath), out var signature, out var sigError))
            {
                throw new UserError($"{sigPath}: {sigError}");
            }
            using var message = File.OpenRead(path);
            var verdict = pub!.Verify(message, signature!);
            if (!verdict.IsValid)
            {
                throw new UserError($"signature INVALID: {verdict.Message}");
            }
            Console.Out.WriteLine("Signature and comment signature verified");
            Console.Out.WriteLine("Trusted comment: " + verdict.TrustedComment);
            return CliApp.Ok;
        });
        return command;
    }
}
