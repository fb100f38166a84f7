using System.Text;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

public sealed class SignedNoteTests
{
    /// <summary>
    /// The PeterNeumann known answer of the signed-note reference implementation, golang.org/x/mod/sumdb/note (the
    /// package documentation's example and its ExampleOpen; BSD-3-Clause, the Go Authors): verifier key, note text and
    /// signature line, as constants so the test needs nothing outside the repository.
    /// </summary>
    private const string KnownKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string KnownText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string KnownSigLine = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

    private static (string Key, string Text, string SigLine) KnownAnswer() => (KnownKey, KnownText, KnownSigLine);

    [Fact]
    public void Known_answer_verifies()
    {
        var (key, text, sigLine) = KnownAnswer();
        var verifier = NoteVerifier.Parse(key);
        Assert.Equal("PeterNeumann", verifier.Name);
        Assert.Equal(0xc74f20a3u, verifier.KeyHash);
        Assert.Equal(key, verifier.VerifierKey);
        var result = SignedNote.Open(text + "\n" + sigLine + "\n", [verifier]);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(text, result.Text);
        Assert.Single(result.Verified);
    }

    [Fact]
    public void Known_answer_fails_with_any_flipped_byte_of_text_or_signature()
    {
        var (key, text, sigLine) = KnownAnswer();
        var verifier = NoteVerifier.Parse(key);
        var note = text + "\n" + sigLine + "\n";
        var bytes = Encoding.UTF8.GetBytes(note);
        var sigB64 = sigLine[(sigLine.LastIndexOf(' ') + 1)..];
        var raw = Convert.FromBase64String(sigB64);
        for (var i = 0; i < text.Length - 1; i++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x01;
            var s = Encoding.UTF8.GetString(flipped);
            Assert.False(SignedNote.Open(s, [verifier]).Ok, $"text byte {i} flipped still verified");
        }
        for (var i = 4; i < raw.Length; i++)
        {
            var flipped = (byte[])raw.Clone();
            flipped[i] ^= 0x80;
            var s = text + "\n\u2014 PeterNeumann " + Convert.ToBase64String(flipped) + "\n";
            Assert.False(SignedNote.Open(s, [verifier]).Ok, $"signature byte {i} flipped still verified");
        }
    }

    [Fact]
    public void Signing_round_trip_with_several_signers_and_unknown_keys_ignored()
    {
        using var a = NoteSigner.Generate("log.example/a");
        using var b = NoteSigner.Generate("owner-b");
        using var stranger = NoteSigner.Generate("stranger");
        var note = SignedNote.Sign("hello\nworld\n", a, b);
        Assert.EndsWith("\n", note, StringComparison.Ordinal);
        var lines = note.Split('\n');
        Assert.StartsWith("\u2014 log.example/a ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("\u2014 owner-b ", lines[4], StringComparison.Ordinal);

        var onlyA = SignedNote.Open(note, [a.Verifier]);
        Assert.True(onlyA.Ok);
        Assert.Single(onlyA.Verified);
        Assert.Single(onlyA.Unverified);

        var both = SignedNote.Open(note, [a.Verifier, b.Verifier]);
        Assert.Equal(2, both.Verified.Count);

        Assert.False(SignedNote.Open(note, [stranger.Verifier]).Ok);

        var cosigned = SignedNote.AddSignature(note, stranger);
        Assert.True(SignedNote.Open(cosigned, [stranger.Verifier]).Ok);
        Assert.Throws<InvalidOperationException>(() => SignedNote.AddSignature(cosigned, stranger));
    }

    [Fact]
    public void Malformed_notes_are_rejected()
    {
        using var a = NoteSigner.Generate("a");
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("no newline", a));
        Assert.Throws<ArgumentException>(() => SignedNote.Sign("tab\there\n", a));
        var note = SignedNote.Sign("text\n", a);
        Assert.True(SignedNote.Open(note, [a.Verifier]).Ok);
        Assert.False(SignedNote.Open(note.TrimEnd('\n'), [a.Verifier]).Ok);              // signatures must end in newline
        Assert.False(SignedNote.Open(note.Replace("\n\n", "\n", StringComparison.Ordinal), [a.Verifier]).Ok); // no blank line
        Assert.False(SignedNote.Open(note.Replace("\u2014", "-", StringComparison.Ordinal), [a.Verifier]).Ok); // not an em dash
        Assert.False(SignedNote.Open(note + note[note.IndexOf('\u2014', StringComparison.Ordinal)..], [a.Verifier]).Ok); // repeated known signer
        Assert.False(SignedNote.Open("text\r\n\n" + note[note.IndexOf('\u2014', StringComparison.Ordinal)..], [a.Verifier]).Ok); // control char
    }

    [Fact]
    public void Two_signatures_by_one_known_key_are_ambiguous_and_refused_even_when_both_verify()
    {
        using var a = NoteSigner.Generate("homevault.local/abc");
        using var b = NoteSigner.Generate("witness.example");
        var note = SignedNote.Sign("origin\n1\nroot\n", a, b);
        var aLine = note.Split('\n').Single(l => l.StartsWith("\u2014 homevault.local/abc ", StringComparison.Ordinal));

        // Ed25519 is deterministic, so the repeat verifies too; which of the two was checked would be ambiguous.
        var repeated = SignedNote.Open(note + aLine + "\n", [a.Verifier, b.Verifier]);
        Assert.False(repeated.Ok);
        Assert.Equal("repeated signature by homevault.local/abc", repeated.Error);
        // A repeated signature by a key the verifier does not know is ignored, as the spec requires of unknown keys.
        var unknownRepeat = SignedNote.Open(note + aLine + "\n", [b.Verifier]);
        Assert.True(unknownRepeat.Ok, unknownRepeat.Error);
        Assert.Single(unknownRepeat.Unverified);
    }

    [Fact]
    public void Key_strings_round_trip_and_hash_is_checked()
    {
        using var a = NoteSigner.Generate("homevault.local/abc");
        var vkey = a.Verifier.VerifierKey;
        Assert.Matches("^homevault\\.local/abc\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$", vkey);
        Assert.Equal(vkey, NoteVerifier.Parse(vkey).VerifierKey);
        var priv = a.ExportPrivateKey();
        Assert.StartsWith("PRIVATE+KEY+homevault.local/abc+" + vkey.Split('+')[1] + "+", priv, StringComparison.Ordinal);
        using var back = NoteSigner.ParsePrivateKey(priv);
        Assert.Equal(vkey, back.Verifier.VerifierKey);

        var parts = vkey.Split('+');
        var wrongHash = $"{parts[0]}+{(Convert.ToUInt32(parts[1], 16) ^ 1):x8}+{parts[2]}";
        Assert.Null(NoteVerifier.TryParse(wrongHash));
        Assert.Null(NoteVerifier.TryParse("bad name+" + parts[1] + "+" + parts[2]));
        Assert.Throws<FormatException>(() => NoteSigner.ParsePrivateKey(priv.Replace("+KEY+", "+KYE+", StringComparison.Ordinal)));
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate("has space"));
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate("has+plus"));
    }

    [Fact]
    public void Key_file_is_created_0600_and_reloaded()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes only");
            return;
        }
        var dir = TestEnv.NewTempDir("hv-key");
        try
        {
            var path = Path.Combine(dir, "audit.key");
            string vkey;
            using (var created = AuditKeyFile.LoadOrCreate(path, "homevault.local/x"))
            {
                vkey = created.Verifier.VerifierKey;
            }
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.StartsWith("PRIVATE+KEY+homevault.local/x+", File.ReadAllText(path), StringComparison.Ordinal);
            using (var loaded = AuditKeyFile.LoadOrCreate(path, "ignored"))
            {
                Assert.Equal(vkey, loaded.Verifier.VerifierKey);
            }
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            var refused = Assert.Throws<AuditException>(() => AuditKeyFile.Load(path));
            Assert.Contains("mode must be 0600", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
