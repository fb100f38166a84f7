namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// Gets passphrases from a file (first line) or an interactive prompt on the terminal. Callers own
/// the returned buffer and must zero it (<see cref="Array.Clear(Array)"/>) when done.
/// </summary>
internal static class Passphrases
{
    public const int MinimumNewLength = 10;
    private const int MaximumLength = 1024;

    /// <summary>Reads an existing passphrase.</summary>
    public static char[] Read(string? file, string prompt) => file is not null ? FromFile(file) : Prompt(prompt, confirm: false);

    /// <summary>Reads a new passphrase: confirmed twice when typed, and long enough to resist guessing.</summary>
    public static char[] ReadNew(string? file, string prompt)
    {
        var pass = file is not null ? FromFile(file) : Prompt(prompt, confirm: true);
        if (pass.Length < MinimumNewLength)
        {
            Array.Clear(pass);
            throw new UserError($"passphrase too short: use at least {MinimumNewLength} characters");
        }
        return pass;
    }

    /// <summary>The file named by the flag or by $HOMEVAULT_PASSPHRASE_FILE, if any.</summary>
    public static string? FileFrom(string? flag) => flag ?? CommonOptions.NonEmptyEnv(CommonOptions.PassphraseFileEnv);

    private static char[] FromFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"passphrase file {path}: cannot be read ({ex.GetType().Name})");
        }
        try
        {
            var end = Array.IndexOf(bytes, (byte)'\n');
            var len = end < 0 ? bytes.Length : end;
            if (len > 0 && bytes[len - 1] == '\r')
            {
                len--;
            }
            if (len == 0)
            {
                throw new UserError($"passphrase file {path}: first line is empty");
            }
            if (len > MaximumLength)
            {
                throw new UserError($"passphrase file {path}: first line is longer than {MaximumLength} bytes");
            }
            var chars = new char[System.Text.Encoding.UTF8.GetCharCount(bytes, 0, len)];
            System.Text.Encoding.UTF8.GetChars(bytes, 0, len, chars, 0);
            return chars;
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static char[] Prompt(string prompt, bool confirm)
    {
        if (Console.IsInputRedirected)
        {
            throw new UserError($"a passphrase is needed and there is no terminal to ask on: use --passphrase-file FILE or ${CommonOptions.PassphraseFileEnv}");
        }
        var first = PromptOnce(prompt + ": ");
        if (!confirm)
        {
            return first;
        }
        var second = PromptOnce("Repeat " + char.ToLowerInvariant(prompt[0]) + prompt[1..] + ": ");
        try
        {
            if (!first.AsSpan().SequenceEqual(second))
            {
                Array.Clear(first);
                throw new UserError("the two passphrases differ; nothing was changed");
            }
            return first;
        }
        finally
        {
            Array.Clear(second);
        }
    }

    private static char[] PromptOnce(string prompt)
    {
        Console.Error.Write(prompt);
        var buffer = new char[MaximumLength];
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (length > 0)
                    {
                        buffer[--length] = '\0';
                    }
                    continue;
                }
                if (key.KeyChar != '\0' && length < buffer.Length)
                {
                    buffer[length++] = key.KeyChar;
                }
            }
            Console.Error.WriteLine();
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            Array.Clear(buffer);
        }
    }
}
