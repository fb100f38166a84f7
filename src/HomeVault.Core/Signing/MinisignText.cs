using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace HomeVault.Core.Signing;

/// <summary>Line and base64 handling shared by the minisign key and signature file parsers.</summary>
internal static class MinisignText
{
    public const string UntrustedPrefix = "untrusted comment: ";
    public const string TrustedPrefix = "trusted comment: ";

    // minisign reads the untrusted line with fgets into 1024 bytes; a longer line would be split and the
    // file misread, so the limit is hard here even though minisign itself only warns.
    public const int MaxUntrustedCommentBytes = 1024 - 19 - 2;

    // minisign refuses trusted comments of TRUSTEDCOMMENTMAXBYTES - sizeof "trusted comment: " bytes or more.
    public const int MaxTrustedCommentBytes = 8192 - 18 - 1;

    private static readonly SearchValues<byte> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    /// <summary>Splits on LF, drops a CR before it (files edited on Windows) and one final empty line.</summary>
    public static List<string> SplitLines(string text)
    {
        var lines = new List<string>(text.Split('\n'));
        if (lines.Count > 1 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].EndsWith('\r'))
            {
                lines[i] = lines[i][..^1];
            }
        }
        return lines;
    }

    /// <summary>Strict standard base64 (padding required, no whitespace) of exactly <paramref name="length"/> bytes.</summary>
    public static byte[] DecodeExact(string line, int length, string where)
    {
        var ascii = new byte[line.Length];
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] > 0x7f)
            {
                throw new FormatException($"{where} is not valid base64");
            }
            ascii[i] = (byte)line[i];
        }
        return DecodeExact(ascii, length, where);
    }

    public static byte[] DecodeExact(ReadOnlySpan<byte> ascii, int length, string where)
    {
        // The BCL decoder skips embedded whitespace; libsodium (and so minisign) rejects it, and so do we.
        if (ascii.IndexOfAnyExcept(Base64Chars) >= 0)
        {
            throw new FormatException($"{where} is not valid base64");
        }
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(ascii.Length)];
        var status = Base64.DecodeFromUtf8(ascii, decoded, out var consumed, out var written);
        if (status != System.Buffers.OperationStatus.Done || consumed != ascii.Length)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(decoded);
            throw new FormatException($"{where} is not valid base64");
        }
        if (written != length)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(decoded);
            throw new FormatException($"{where} decodes to {written} bytes, expected {length}");
        }
        if (decoded.Length == length)
        {
            return decoded;
        }
        var exact = decoded.AsSpan(0, length).ToArray();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(decoded);
        return exact;
    }

    /// <summary>Comments are single lines of UTF-8 text for C tools: no CR, LF or NUL, bounded length.</summary>
    public static byte[] CheckComment(string comment, int maxBytes, string paramName)
    {
        if (comment.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException("a minisign comment must be one line (no CR, LF or NUL)", paramName);
        }
        var bytes = Encoding.UTF8.GetBytes(comment);
        if (bytes.Length > maxBytes)
        {
            throw new ArgumentException($"a minisign comment is limited to {maxBytes} UTF-8 bytes, got {bytes.Length}", paramName);
        }
        return bytes;
    }
}
