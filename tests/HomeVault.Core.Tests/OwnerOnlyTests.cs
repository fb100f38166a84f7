using HomeVault.Core.IO;
using HomeVault.Tests;

namespace HomeVault.Core.Tests;

public sealed class OwnerOnlyTests
{
    private const UnixFileMode Wide = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode File0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Dir0700 = File0600 | UnixFileMode.UserExecute;

    [Fact]
    public void An_earlier_versions_wide_modes_are_narrowed_except_under_clips_and_links_are_not_followed()
    {
        var data = new DataDirectory(TestEnv.NewTempDir("hvmodes"));
        var status = Directory.CreateDirectory(data.StatusDir).FullName;
        File.WriteAllText(Path.Combine(status, "cameras.json"), "{}");
        var clipDir = Directory.CreateDirectory(Path.Combine(data.ClipsDir, "front")).FullName;
        File.WriteAllText(Path.Combine(clipDir, "a.mp4.age"), "x");
        var outside = Path.Combine(TestEnv.NewTempDir("hvoutside"), "theirs");
        File.WriteAllText(outside, "not ours");
        File.CreateSymbolicLink(Path.Combine(data.Root, "link"), outside);
        foreach (var file in (string[])[Path.Combine(status, "cameras.json"), Path.Combine(clipDir, "a.mp4.age"), outside])
        {
            File.SetUnixFileMode(file, Wide);
        }
        File.SetUnixFileMode(status, Wide | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);

        Assert.Empty(OwnerOnly.TightenDataDirectory(data));

        Assert.Equal(Dir0700, File.GetUnixFileMode(status));
        Assert.Equal(File0600, File.GetUnixFileMode(Path.Combine(status, "cameras.json")));
        Assert.Equal(Wide, File.GetUnixFileMode(Path.Combine(clipDir, "a.mp4.age"))); // not visited: always created 0600
        Assert.Equal(Wide, File.GetUnixFileMode(outside));
    }

    [Fact]
    public void Replace_writes_an_owner_only_file_whole()
    {
        var path = Path.Combine(TestEnv.NewTempDir("hvreplace"), "status.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, Wide);
        OwnerOnly.Replace(path, "new"u8);
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(File0600, File.GetUnixFileMode(path));
        Assert.False(File.Exists(path + ".tmp"));
    }
}
