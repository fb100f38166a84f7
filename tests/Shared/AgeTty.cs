using System.Text;

namespace HomeVault.Tests;

/// <summary>
/// Stock `age` reads passphrases only from a terminal, so interop tests give it one: a pseudo-terminal
/// from python3's standard `pty` module that answers each passphrase prompt once. The passphrase
/// travels in the environment, not argv.
/// </summary>
internal static class AgeTty
{
    private const string Script = """
        import os, pty, select, sys
        pw = os.environ["HV_PASSPHRASE"].encode()
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[1], sys.argv[1:])
        out, sent = b"", 0
        while True:
            r, _, _ = select.select([fd], [], [], 30)
            if not r:
                break
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
            # Answer each prompt ("Enter passphrase...: ", "Confirm passphrase: ") once.
            pending = out[sent:]
            if b"passphrase" in pending.lower() and pending.rstrip().endswith(b":"):
                os.write(fd, pw + b"\n")
                sent = len(out)
        _, status = os.waitpid(pid, 0)
        sys.stdout.write(out.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """;

    /// <summary>Runs `age ARGS` on a terminal, typing <paramref name="passphrase"/> at its prompts; returns exit code and the terminal transcript.</summary>
    public static (int Exit, string Transcript) Run(string passphrase, params string[] args)
    {
        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("python3"), ["-c", Script, TestEnv.Tool("age"), .. args],
            env: new Dictionary<string, string> { ["HV_PASSPHRASE"] = passphrase });
        return (exit, Encoding.UTF8.GetString(stdout) + stderr);
    }
}
