using System.CommandLine;

namespace HomeVault.Cli;

/// <summary>Builds the command tree; each feature contributes its commands.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("HomeVault: records home cameras sealed with age, releases footage only by owner-signed, audited requests.");
        return root;
    }

    public static int Run(string[] args) => Build().Parse(args).Invoke();
}
