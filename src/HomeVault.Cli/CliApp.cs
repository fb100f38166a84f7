using System.CommandLine;
using System.Security.Cryptography;
using HomeVault.Cli.Commands;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Catalog;

namespace HomeVault.Cli;

/// <summary>Builds the command tree and applies the exit-code policy: 0 ok, 1 failure, 2 usage.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static RootCommand Build()
    {
        var root = new RootCommand("HomeVault: records home cameras sealed with age; footage leaves only by owner-signed, audited requests.");
        root.Options.Add(CommonOptions.Data);
        root.Options.Add(CommonOptions.Config);
        foreach (var command in CommandGroups())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    private static IEnumerable<Command> CommandGroups()
    {
        yield return InitCommand.Build();
        yield return OwnersCommands.Build();
        yield return KeysCommands.Build();
        yield return VaultCommands.BuildEncrypt();
        yield return VaultCommands.BuildDecrypt();
        yield return SignatureCommands.BuildSign();
        yield return SignatureCommands.BuildVerify();
        yield return AuditCommands.Build();
        yield return ClipsCommands.Build();
        yield return RequestsCommands.Build();
        yield return RequestersCommands.Build();
        yield return ReleasesCommands.Build();
        yield return VerifyCommand.Build();
        yield return ReportCommand.Build();
        yield return ServeCommand.Build();
        yield return CamerasCommands.Build();
        yield return ReplicaCommands.Build();
        yield return DemoCommand.Build();
    }

    public static int Run(string[] args)
    {
        var result = Build().Parse(args);
        if (result.Errors.Count > 0)
        {
            // "Required command was not provided" accompanies the more telling "Unrecognized command" error.
            var error = result.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? result.Errors[0];
            var path = string.Join(' ', CommandPath(result.CommandResult));
            Console.Error.WriteLine($"homevault: {error.Message} (see 'homevault {path}{(path.Length > 0 ? " " : "")}--help')");
            return Usage;
        }
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return result.Invoke(config);
        }
        catch (Exception ex) when (Describe(ex) is { } message)
        {
            Console.Error.WriteLine("homevault: " + message);
            return Failure;
        }
        catch (Exception ex) when (Environment.GetEnvironmentVariable("HOMEVAULT_DEBUG") != "1")
        {
            // A bug, not bad input: one line here, the stack trace with HOMEVAULT_DEBUG=1.
            Console.Error.WriteLine($"homevault: internal error ({ex.GetType().Name}: {ex.Message}); rerun with HOMEVAULT_DEBUG=1 for details and please report it");
            return Failure;
        }
    }

    private static Stack<string> CommandPath(System.CommandLine.Parsing.SymbolResult? symbol)
    {
        var names = new Stack<string>();
        for (var s = symbol; s is not null; s = s.Parent)
        {
            if (s is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } c)
            {
                names.Push(c.Command.Name);
            }
        }
        return names;
    }

    /// <summary>
    /// One line for failures users can cause (a <see cref="UserError"/>, or the system refusing a file); null for
    /// bugs, which keep their stack trace.
    /// </summary>
    internal static string? Describe(Exception ex) => ex switch
    {
        UserError => ex.Message,
        FileNotFoundException f => $"file not found: {f.FileName ?? f.Message}",
        DirectoryNotFoundException => $"directory not found: {ex.Message}",
        UnauthorizedAccessException => $"permission denied: {ex.Message}",
        IOException => $"I/O error: {ex.Message}",
        CryptographicException => $"cryptographic failure: {ex.Message}",
        OperationCanceledException => "cancelled",
        _ => null,
    };
}
