using System.Globalization;
using System.Text;

namespace HomeVault.Cli.Infrastructure;

/// <summary>
/// Text that came from outside (request fields, audit details) printed to a terminal: control
/// characters are shown as \xNN so no escape sequence in a request can rewrite what the owner sees.
/// </summary>
internal static class TerminalText
{
    public static string Safe(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.Any(IsControl))
        {
            return value ?? "";
        }
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (IsControl(c))
            {
                sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static bool IsControl(char c) => c < 0x20 || c is (>= '\u007f' and <= '\u009f');
}
