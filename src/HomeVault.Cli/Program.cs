namespace HomeVault.Cli;

internal static class Program
{
    public static int Main(string[] args) => CliApp.Run(args);
}
