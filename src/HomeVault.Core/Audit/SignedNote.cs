using System.Buffers.Binary;
using System.Text;

namespace HomeVault.Core.Audit;

/// <summary>
/// C2SP signed-note: UTF-8 text ending in a newline, a blank line, then one or more lines
/// "— name base64(keyhash4 || signature)" (U+2014 em dash). Every signature covers the text bytes
/// exactly, newline included. Parsing follows golang.org/x/mod/sumdb/note: no control characters
/// but newline, the last blank line splits text from signatures, at most 100 signatures, a repeated
/// known key is malformed, a bad signature by a known key fails the whole note, unknown keys are ignored.
/// The C2SP spec says nothing of repeats; a second signature by the same name and key ID is refused (as the Go
/// reference does) because it leaves ambiguous which one a verifier checked, and no honest signer makes two.
/// Identical repeats by unknown keys are listed once.
/// </summary>
public static class SignedNote
{
    private const string SigPrefix = "\u2014 ";
    private const int MaxSignatures = 100;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Signs <paramref name="text"/> with each signer. Throws when the text is not valid note text.</summary>
    public static string Sign(string text, params IReadOnlyList<NoteSigner> signers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signers);
        CheckText(text);
        if (signers.Count == 0)
        {
            throw new ArgumentException("a signed note needs at least one signer", nameof(signers));
        }
        var bytes = StrictUtf8.GetBytes(text);
        var sb = new StringBuilder(text).Append('\n');
        foreach (var signer in signers)
        {
            sb.Append(SignatureFor(bytes, signer).Line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Appends one more signature over the same text to a well-formed note (co-signing). The
    /// existing signatures are kept verbatim; a second signature by the same key is refused.
    /// </summary>
    public static string AddSignature(string note, NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var (text, sigs, error) = Split(note);
        if (error is not null)
        {
            throw new FormatException("cannot co-sign a malformed note: " + error);
        }
        if (sigs.Any(s => s.Name == signer.Name && s.KeyHash == signer.KeyHash))
        {
            throw new InvalidOperationException($"the note already carries a signature by {signer.Name}");
        }
        return note + SignatureFor(StrictUtf8.GetBytes(text!), signer).Line + "\n";
    }

    /// <summary>Parses and verifies a note against the known keys.</summary>
    public static NoteOpenResult Open(string note, IEnumerable<NoteVerifier> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        var (text, sigs, error) = Split(note);
        if (error is not null)
        {
            return new NoteOpenResult(null, [], [], error);
        }
        var textBytes = StrictUtf8.GetBytes(text!);
        var keys = known.ToList();
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        foreach (var sig in sigs)
        {
            var verifier = keys.FirstOrDefault(k => k.Name == sig.Name && k.KeyHash == sig.KeyHash);
            if (verifier is null)
            {
                if (!unverified.Contains(sig))
                {
                    unverified.Add(sig);
                }
                continue;
            }
            if (verified.Any(v => v.Name == sig.Name && v.KeyHash == sig.KeyHash))
            {
                return new NoteOpenResult(text, [], unverified, $"repeated signature by {sig.Name}");
            }
            var raw = Convert.FromBase64String(sig.Base64);
            if (!verifier.Verify(textBytes, raw.AsSpan(4)))
            {
                return new NoteOpenResult(text, [], unverified, $"invalid signature by {sig.Name}");
            }
            verified.Add(sig);
        }
        return verified.Count == 0
            ? new NoteOpenResult(text, [], unverified, "no signature by a known key")
            : new NoteOpenResult(text, verified, unverified, null);
    }

    /// <summary>Splits a note into its text and signature lines without verifying anything.</summary>
    public static (string? Text, IReadOnlyList<NoteSignature> Signatures, string? Error) Split(string? note)
    {
        if (string.IsNullOrEmpty(note))
        {
            return (null, [], "empty note");
        }
        for (var i = 0; i < note.Length; i++)
        {
            var c = note[i];
            if ((c < 0x20 && c != '\n') || (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < note.Length && char.IsLowSurrogate(note[++i]))))
            {
                return (null, [], "note contains control characters or invalid text");
            }
        }
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return (null, [], "note has no blank line before its signatures");
        }
        var text = note[..(split + 1)];
        var block = note[(split + 2)..];
        if (block.Length == 0 || block[^1] != '\n')
        {
            return (null, [], "note signatures must end in a newline");
        }
        var sigs = new List<NoteSignature>();
        foreach (var line in block[..^1].Split('\n'))
        {
            if (!line.StartsWith(SigPrefix, StringComparison.Ordinal))
            {
                return (null, [], "malformed signature line");
            }
            var rest = line[SigPrefix.Length..];
            var space = rest.IndexOf(' ', StringComparison.Ordinal);
            var name = space < 0 ? rest : rest[..space];
            var b64 = space < 0 ? "" : rest[(space + 1)..];
            byte[] raw;
            try
            {
                raw = Convert.FromBase64String(b64);
            }
            catch (FormatException)
            {
                return (null, [], "malformed signature line");
            }
            if (!NoteKeys.IsValidName(name) || b64.Length == 0 || raw.Length < 5 || b64.Contains(' ', StringComparison.Ordinal))
            {
                return (null, [], "malformed signature line");
            }
            if (sigs.Count == MaxSignatures)
            {
                return (null, [], "too many signatures");
            }
            sigs.Add(new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(raw), b64));
        }
        return (text, sigs, null);
    }

    /// <summary>Throws unless <paramref name="text"/> can be the text of a note.</summary>
    public static void CheckText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || text[^1] != '\n')
        {
            throw new ArgumentException("note text must end in a newline", nameof(text));
        }
        if (text.Any(c => c < 0x20 && c != '\n') || !CanonicalJson.IsEncodable(text))
        {
            throw new ArgumentException("note text must be valid text without control characters", nameof(text));
        }
    }

    private static NoteSignature SignatureFor(byte[] text, NoteSigner signer)
    {
        var sig = signer.Sign(text);
        var raw = new byte[4 + sig.Length];
        BinaryPrimitives.WriteUInt32BigEndian(raw, signer.KeyHash);
        sig.CopyTo(raw, 4);
        return new NoteSignature(signer.Name, signer.KeyHash, Convert.ToBase64String(raw));
    }
}
