using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Vault;

/// <summary>
/// The age v1 text header: parsed strictly (the CCTV vectors pin every rule) and written
/// canonically. The MAC covers the header bytes exactly as read, up to and including "---".
/// </summary>
internal sealed class Header
{
    public const string Intro = "age-encryption.org/v1";
    private const int MaxLine = 16 * 1024;
    private const int MaxHeader = 1024 * 1024;
    private static readonly byte[] HeaderInfo = "header"u8.ToArray();

    private Header(List<Stanza> stanzas, byte[] mac, byte[] macInput)
    {
        Stanzas = stanzas;
        Mac = mac;
        MacInput = macInput;
    }

    public IReadOnlyList<Stanza> Stanzas { get; }

    public byte[] Mac { get; }

    /// <summary>The raw header up to and including "---".</summary>
    public byte[] MacInput { get; }

    public static Header Parse(BufferedInput input)
    {
        var raw = new MemoryStream();
        var line = new List<byte>(128);
        if (!TryReadLine(input, line, raw) || AsString(line) != Intro + "\n")
        {
            var text = AsString(line);
            throw Fail(text.StartsWith("age-encryption.org/", StringComparison.Ordinal) ? "unsupported age format version" : "not an age file (bad first line)");
        }
        var stanzas = new List<Stanza>();
        while (true)
        {
            var peek = input.Peek(3);
            if (peek.SequenceEqual("---"u8))
            {
                if (!input.ReadLine(line, MaxLine) || line[^1] != '\n')
                {
                    throw Fail("header ends unexpectedly");
                }
                raw.Write("---"u8);
                var parts = AsString(line)[..^1].Split(' ');
                if (parts[0] != "---" || parts.Length != 2)
                {
                    throw Fail("malformed closing line");
                }
                if (!Base64Raw.TryDecode(parts[1], out var mac) || mac.Length != 32)
                {
                    throw Fail("malformed header MAC");
                }
                return new Header(stanzas, mac, raw.ToArray());
            }
            stanzas.Add(ReadStanza(input, line, raw));
        }
    }

    private static Stanza ReadStanza(BufferedInput input, List<byte> line, MemoryStream raw)
    {
        if (!TryReadLine(input, line, raw))
        {
            throw Fail("header ends unexpectedly");
        }
        var text = AsString(line);
        if (!text.StartsWith("->", StringComparison.Ordinal))
        {
            throw Fail("malformed stanza opening line");
        }
        var parts = text[..^1].Split(' ');
        if (parts[0] != "->" || parts.Length < 2)
        {
            throw Fail("malformed stanza opening line");
        }
        foreach (var arg in parts.AsSpan(1))
        {
            if (!KeyWrap.IsValidArgument(arg))
            {
                throw Fail("malformed stanza argument");
            }
        }
        var body = new MemoryStream();
        while (true)
        {
            if (!TryReadLine(input, line, raw))
            {
                throw Fail("header ends unexpectedly");
            }
            var bodyLine = AsString(line)[..^1];
            if (!Base64Raw.TryDecode(bodyLine, out var bytes))
            {
                throw Fail("malformed stanza body line");
            }
            if (bytes.Length > Armor.BytesPerLine)
            {
                throw Fail("stanza body line longer than 64 columns");
            }
            body.Write(bytes);
            if (bytes.Length < Armor.BytesPerLine)
            {
                return new Stanza(parts[1], parts[2..], body.ToArray());
            }
        }
    }

    /// <summary>A full line ending in '\n', appended to <paramref name="raw"/>; false if the input ends first.</summary>
    private static bool TryReadLine(BufferedInput input, List<byte> line, MemoryStream raw)
    {
        try
        {
            if (!input.ReadLine(line, MaxLine) || line[^1] != '\n')
            {
                return false;
            }
        }
        catch (BufferedInput.LineTooLongException)
        {
            throw Fail("header line too long");
        }
        raw.Write(CollectionsMarshal.AsSpan(line));
        if (raw.Length > MaxHeader)
        {
            throw Fail("header too large");
        }
        return true;
    }

    private static string AsString(List<byte> line) => Encoding.Latin1.GetString(CollectionsMarshal.AsSpan(line));

    private static AgeException Fail(string why) => new(AgeErrorKind.InvalidHeader, "invalid age header: " + why);

    public static void ComputeMac(ReadOnlySpan<byte> fileKey, ReadOnlySpan<byte> macInput, Span<byte> mac)
    {
        Span<byte> macKey = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, fileKey, macKey, [], HeaderInfo);
            HMACSHA256.HashData(macKey, macInput, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    public bool VerifyMac(ReadOnlySpan<byte> fileKey)
    {
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(fileKey, MacInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, Mac);
    }

    /// <summary>Serialises stanzas and the MAC in canonical form.</summary>
    public static byte[] Write(IEnumerable<Stanza> stanzas, ReadOnlySpan<byte> fileKey)
    {
        var sb = new StringBuilder();
        sb.Append(Intro).Append('\n');
        foreach (var s in stanzas)
        {
            sb.Append("-> ").Append(s.Type);
            foreach (var a in s.Args)
            {
                sb.Append(' ').Append(a);
            }
            sb.Append('\n');
            var b64 = Base64Raw.Encode(s.Body);
            for (var i = 0; i < b64.Length; i += Armor.ColumnsPerLine)
            {
                sb.Append(b64, i, Math.Min(Armor.ColumnsPerLine, b64.Length - i)).Append('\n');
            }
            if (b64.Length % Armor.ColumnsPerLine == 0)
            {
                sb.Append('\n');
            }
        }
        sb.Append("---");
        var macInput = Encoding.ASCII.GetBytes(sb.ToString());
        Span<byte> mac = stackalloc byte[32];
        ComputeMac(fileKey, macInput, mac);
        sb.Append(' ').Append(Base64Raw.Encode(mac)).Append('\n');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }
}
