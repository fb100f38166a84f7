using HomeVault.Core;
using HomeVault.Core.Keys;
using HomeVault.Recording.Export;
using HomeVault.Recording.Ffmpeg;

namespace HomeVault.Cli.Tests;

/// <summary>What the CLI prints for a failure: a UserError's own line, or null (an internal error) for a bug.</summary>
public sealed class UserErrorTests
{
    [Fact]
    public void A_user_error_from_any_project_is_its_own_message()
    {
        Assert.Equal("no such camera", CliApp.Describe(new UserError("no such camera")));
        Assert.Equal("cannot run ffmpeg: No such file or directory", CliApp.Describe(new ExportException("cannot run ffmpeg: No such file or directory")));
        Assert.Equal("ffprobe timed out", CliApp.Describe(new CameraProbeException("ffprobe timed out")));
        Assert.Equal("wrong passphrase for owner 'alice'", CliApp.Describe(new KeyStoreException("wrong passphrase for owner 'alice'")));
    }

    [Fact]
    public void A_bug_is_not_described_whatever_its_namespace()
    {
        Assert.Null(CliApp.Describe(new InvalidOperationException("no owners to seal clips to")));
        Assert.Null(CliApp.Describe(new ArgumentException("bad")));
        Assert.Null(CliApp.Describe(new FormatException("bad")));
    }
}
