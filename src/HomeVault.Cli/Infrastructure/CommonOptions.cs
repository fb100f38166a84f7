using System.CommandLine;

namespace HomeVault.Cli.Infrastructure;

/// <summary>Options every command shares; environment variables stand in when a flag is absent.</summary>
internal static class CommonOptions
{
    public const string DataEnv = "HOMEVAULT_DATA";
    public const string ConfigEnv = "HOMEVAULT_CONFIG";
    public const string PassphraseFileEnv = "HOMEVAULT_PASSPHRASE_FILE";

    public static Option<string?> Data { get; } = new("--data")
    {
        Description = $"Data directory (default: ${DataEnv}, else /var/lib/homevault)",
        Recursive = true,
        HelpName = "DIR",
    };

    public static Option<string?> Config { get; } = new("--config")
    {
        Description = $"Configuration file (default: ${ConfigEnv}, else /etc/homevault/homevault.json)",
        Recursive = true,
        HelpName = "FILE",
    };

    /// <summary>Added per command where a passphrase is needed.</summary>
    public static Option<string?> PassphraseFile() => new("--passphrase-file")
    {
        Description = $"Read the passphrase from this file's first line instead of prompting (default: ${PassphraseFileEnv})",
        HelpName = "FILE",
    };

    public static string DataDirectory(ParseResult result) =>
        Path.GetFullPath(result.GetValue(Data) ?? NonEmptyEnv(DataEnv) ?? "/var/lib/homevault");

    public static string? ConfigFile(ParseResult result) => result.GetValue(Config) ?? NonEmptyEnv(ConfigEnv);

    public static string? NonEmptyEnv(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v : null;
}
