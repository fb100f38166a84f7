namespace HomeVault.Core.Vault;

/// <summary>Constants and detection for age's strict PEM-like ASCII armor.</summary>
internal static class Armor
{
    public const string Header = "-----BEGIN AGE ENCRYPTED FILE-----";
    public const string Footer = "-----END AGE ENCRYPTED FILE-----";
    public const int ColumnsPerLine = 64;
    public const int BytesPerLine = ColumnsPerLine / 4 * 3;
    public const int MaxWhitespace = 1024;

    /// <summary>
    /// Binary age must start with "age-encryption.org/"; anything else that shows a PEM-style
    /// "-----" marker in its first KiB is treated as armor, so a damaged armor file gets an armor
    /// error rather than "not an age file".
    /// </summary>
    public static bool LooksArmored(BufferedInput input)
    {
        var head = input.Peek(MaxWhitespace + Header.Length);
        if (head.IsEmpty || head.StartsWith("age-"u8))
        {
            return false;
        }
        return head.IndexOf("-----"u8) >= 0;
    }

    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;
}
