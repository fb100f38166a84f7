namespace HomeVault.Tests;

/// <summary>
/// Stock `age` reads passphrases only from a terminal, so interop tests give it one: a pseudo-terminal
/// from Python's standard `pty` module that answers the prompt.
/// </summary>
internal static class AgeTty
{
    private const string Script = """
        import os, pty, sys
        pw, args = sys.argv[1], sys.argv[2:]
        pid, fd = pty.fork()
        if pid == 0:
            os.execvp(args[0], args)
        buf, sent = b"", False
        while True:
            try:
                data = os.read(fd, 1024)
            except OSError:
                break
            if not data:
                break
            buf += data
            if not sent and b"passphrase" in buf.lower():
                os.write(fd, (pw + "\n").encode())
                sent = True
        _, status = os.waitpid(pid, 0)
        sys.stderr.write(buf.decode(errors="replace"))
        sys.exit(os.waitstatus_to_exitcode(status))
        """;

    /// <summary>Runs `age -d -o OUT FILE` typing the passphrase at its prompt; returns exit code and terminal text.</summary>
    public static (int Exit, string Terminal) Decrypt(string file, string output, string passphrase)
    {
        var (exit, _, stderr) = TestEnv.Run(TestEnv.Tool("python3"), ["-c", Script, passphrase, TestEnv.Tool("age"), "-d", "-o", output, file]);
        return (exit, stderr);
    }
}
