using HomeVault.Core.IO;

namespace HomeVault.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        // Whatever any command creates is the owner's alone, as under the systemd unit's UMask=0077.
        OwnerOnly.SetProcessUmask();
        return CliApp.Run(args);
    }
}
