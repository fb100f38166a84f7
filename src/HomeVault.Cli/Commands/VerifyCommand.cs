using System.CommandLine;
using System.Globalization;
using System.Text;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Disclosure.Verification;
using HomeVault.Core.Json;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;

namespace HomeVault.Cli.Commands;

/// <summary>
/// `homevault verify RELEASE --owner-key PUB [-i IDENTITY]`: the recipient's check of a release (directory or .tar),
/// needing no data directory. Exit 0 when everything verifies, 1 with one line naming the first problem.
/// </summary>
internal static class VerifyCommand
{
    public static Command Build()
    {
        var release = new Argument<string>("RELEASE") { Description = "The release directory or its .tar" };
        var ownerKeys = new Option<string[]>("--owner-key") { Description = "An owner's minisign public key file (or base64 line) you obtained out of band; repeatable", Required = true, HelpName = "PUB" };
        var identities = new Option<string[]>("--identity", "-i") { Description = "Your age identity file (plain, or passphrase-protected): also decrypt every clip and check its plaintext hash", HelpName = "IDENTITY" };
        var passphraseFile = CommonOptions.PassphraseFile();
        var command = new Command("verify", "Verify a release: signatures, quorum, scope, hashes, audit proof; with -i also the plaintext") { release, ownerKeys, identities, passphraseFile };
        command.SetAction(result =>
        {
            var pinned = result.GetValue(ownerKeys)!.Select(ParseKey).ToList();
            var ids = new List<IIdentity>();
            try
            {
                foreach (var path in result.GetValue(identities) ?? [])
                {
                    ids.AddRange(VaultCommands.ReadIdentityFile(path, Passphrases.FileFrom(result.GetValue(passphraseFile))));
                }
                var outcome = ReleaseVerifier.Verify(result.GetValue(release)!, pinned, ids);
                if (!outcome.Ok)
                {
                    throw new UserError("verify: " + TerminalText.Safe(outcome.Problem));
                }
                var m = outcome.Manifest!;
                Console.Out.WriteLine($"request {m.RequestId}: approved by {string.Join(", ", outcome.Signers.Select(TerminalText.Safe))} ({outcome.Signers.Count} of quorum {m.Quorum}); manifest signed by {TerminalText.Safe(m.SignedBy)}");
                Console.Out.WriteLine($"scope: {string.Join(",", m.Cameras.Select(TerminalText.Safe))} {WireTime.Format(m.From)} .. {WireTime.Format(m.To)}{(m.StripAudio ? ", audio stripped" : "")}; expires {WireTime.Format(m.Expires)}");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"audit: release.built leaf proven in checkpoint of size {outcome.CheckpointSize} ({TerminalText.Safe(outcome.CheckpointOrigin)})"));
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clips: {outcome.ClipsHashed} ciphertext hash(es) match, all inside the signed scope{(ids.Count > 0 ? $"; {outcome.ClipsDecrypted} decrypted, plaintext hashes match" : "")}"));
                Console.Out.WriteLine("OK");
            }
            finally
            {
                foreach (var i in ids)
                {
                    (i as IDisposable)?.Dispose();
                }
            }
            return CliApp.Ok;
        });
        return command;
    }

    private static MinisignPublicKey ParseKey(string value)
    {
        var text = File.Exists(value) ? Encoding.UTF8.GetString(File.ReadAllBytes(value)) : value;
        return MinisignPublicKey.TryParse(text, out var key, out var error) ? key : throw new UserError($"--owner-key {value}: {error}");
    }
}
