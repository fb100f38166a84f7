namespace HomeVault.Core.Vault;

/// <summary>Constants and detection for age's strict PEM-like ASCII armor.</summary>
internal static class Armor
{
    public const string Header = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string Footer = "-----END AGE ENCRYPTED FILE-----";
    public const int ColumnsPerLine = 64;
    public const int BytesPerLine = ColumnsPerLine / 4 * 3;
    public const int MaxWhitespace = 1024;

    /// <summary>Armored input starts (after optional whitespace) with "-----BEGIN"; binary age starts with "age-".</summary>
    public static bool LooksArmored(BufferedInput input)
    {
        var head = input.Peek(MaxWhitespace + Header.Length);
        var i = 0;
        while (i < head.Length && IsSpace(head[i]))
        {
            i++;
        }
        return head[i..].StartsWith("-----BEGIN"u8);
    }

    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;
}
