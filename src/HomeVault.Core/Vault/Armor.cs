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
        // Decide on the first bytes when possible, so a slow producer is not waited on for a whole KiB.
        var start = input.Peek(4);
        if (start.IsEmpty || start.SequenceEqual("age-"u8))
        {
            return false;
        }
        return input.Peek(MaxWhitespace + Header.Length).IndexOf("-----"u8) >= 0;
    }

    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0b or 0x0c;
}
