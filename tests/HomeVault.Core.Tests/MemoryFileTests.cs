using System.Text;
using HomeVault.Core.IO;
using HomeVault.Tests;

namespace HomeVault.Core.Tests;

public sealed class MemoryFileTests
{
    [Fact]
    public void A_child_process_reads_it_by_its_proc_path_and_after_dispose_it_is_gone()
    {
        var name = "hv-test-" + Guid.NewGuid().ToString("N");
        using (var file = MemoryFile.Create(name, "user:secret\n"u8))
        {
            var path = file.Path;
            Assert.StartsWith($"/proc/{Environment.ProcessId}/fd/", path, StringComparison.Ordinal);
            Assert.Equal($"/memfd:{name} (deleted)", new FileInfo(path).LinkTarget);
            var child = TestEnv.Run(TestEnv.Tool("cat"), [path]);
            Assert.Equal(0, child.Exit);
            Assert.Equal("user:secret\n", Encoding.UTF8.GetString(child.Stdout));
            // Not inherited: the child opened the path; its own descriptors show no such file.
            var fds = TestEnv.Run(TestEnv.Tool("ls"), ["-l", "/proc/self/fd/"]);
            Assert.DoesNotContain(name, Encoding.UTF8.GetString(fds.Stdout), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(OpenFiles.Targets(), t => t.Contains(name, StringComparison.Ordinal));
    }
}
