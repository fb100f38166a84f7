using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Tests.Vault;

/// <summary>One C2SP CCTV age vector: `key: value` lines, a blank line, then the (maybe zlib'd) age file.</summary>
internal sealed class CctvVector
{
    public required string Name { get; init; }
    public required string Expect { get; init; }
    public string? Payload { get; init; }
    public required IReadOnlyList<string> Identities { get; init; }
    public required IReadOnlyList<string> Passphrases { get; init; }
    public required byte[] File { get; init; }

    public static CctvVector Load(string path)
    {
        var bytes = System.IO.File.ReadAllBytes(path);
        var sep = bytes.AsSpan().IndexOf("\n\n"u8);
        Assert.True(sep > 0, $"{path}: no blank line after the vector header");
        var headers = Encoding.UTF8.GetString(bytes, 0, sep).Split('\n');
        var body = bytes[(sep + 2)..];
        string? expect = null, payload = null;
        var ids = new List<string>();
        var pws = new List<string>();
        var compressed = false;
        foreach (var h in headers)
        {
            var colon = h.IndexOf(": ", StringComparison.Ordinal);
            var (k, v) = (h[..colon], h[(colon + 2)..]);
            switch (k)
            {
                case "expect": expect = v; break;
                case "payload": payload = v; break;
                case "identity": ids.Add(v); break;
                case "passphrase": pws.Add(v); break;
                case "compressed": compressed = v == "zlib"; Assert.Equal("zlib", v); break;
                default: break;
            }
        }
        if (compressed)
        {
            using var z = new ZLibStream(new MemoryStream(body), CompressionMode.Decompress);
            using var ms = new MemoryStream();
            z.CopyTo(ms);
            body = ms.ToArray();
        }
        return new CctvVector
        {
            Name = Path.GetFileName(path),
            Expect = expect ?? throw new InvalidDataException($"{path}: no expect"),
            Payload = payload,
            Identities = ids,
            Passphrases = pws,
            File = body,
        };
    }

    /// <summary>
    /// Vectors for age's post-quantum hybrid recipients (mlkem768x25519, identities AGE-SECRET-KEY-PQ-1…), which
    /// HomeVault does not implement: <see cref="CheckUnsupported"/> runs them instead of <see cref="Check"/>.
    /// </summary>
    public bool IsPostQuantum => Identities.Any(i => i.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal));

    /// <summary>
    /// For a post-quantum vector: every hybrid identity is refused by name as unsupported, and the file, tried with
    /// the vector's X25519 identities (or a stranger's), releases no plaintext. Null when so, else what went wrong.
    /// </summary>
    public string? CheckUnsupported()
    {
        foreach (var pq in Identities.Where(i => i.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal)))
        {
            try
            {
                X25519Identity.Parse(pq).Dispose();
                return "a post-quantum identity was accepted as an X25519 one";
            }
            catch (AgeException e) when (e.Kind == AgeErrorKind.InvalidKey)
            {
                if (!e.Message.Contains("post-quantum", StringComparison.Ordinal) || !e.Message.Contains("not supported", StringComparison.Ordinal))
                {
                    return $"the post-quantum identity was refused without saying why: {e.Message}";
                }
            }
        }
        var classic = Identities.Where(i => !i.StartsWith("AGE-SECRET-KEY-PQ-1", StringComparison.Ordinal)).ToList();
        var (released, error) = Decrypt(classic.Select(X25519Identity.Parse));
        Outcome = error is null ? "success" : $"{error.Kind}: {error.Message}";
        if (error is null || released.Length != 0)
        {
            return $"released {released.Length} bytes ({Outcome}) from a file sealed to a post-quantum recipient";
        }
        return error.Kind switch
        {
            // A flaw age's own header rules catch (a malformed stanza body, an X25519 stanza with a hybrid share).
            AgeErrorKind.InvalidHeader when Expect == "header failure" => null,
            // The message must say why: the recipient type is not implemented, not that the key is wrong.
            AgeErrorKind.NoIdentityMatched when !HasStanza("mlkem768x25519") || error.Message.Contains("(mlkem768x25519) recipient, which HomeVault does not support", StringComparison.Ordinal) => null,
            _ => $"expected a refusal as unsupported (or, for a header failure, an invalid header), got {Outcome}",
        };
    }

    /// <summary>True when the age header (under the armor, if any) has a stanza of exactly this type.</summary>
    private bool HasStanza(string type)
    {
        var text = Encoding.ASCII.GetString(File);
        if (text.TrimStart().StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var base64 = string.Concat(text.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
            text = Encoding.ASCII.GetString(Convert.FromBase64String(base64));
        }
        return text.Contains($"\n-> {type} ", StringComparison.Ordinal);
    }

    /// <summary>What the last <see cref="CheckUnsupported"/> saw, for the summary.</summary>
    public string? Outcome { get; private set; }

    /// <summary>Runs the vector; returns null on pass or a description of the mismatch.</summary>
    public string? Check()
    {
        var (released, error) = Decrypt(Identities.Select(X25519Identity.Parse).Concat<IIdentity>(Passphrases.Select(p => new ScryptIdentity(p))));
        var hash = Convert.ToHexStringLower(SHA256.HashData(released.ToArray()));
        var kindOk = Expect switch
        {
            "success" => error is null,
            "no match" => error?.Kind == AgeErrorKind.NoIdentityMatched,
            "HMAC failure" => error?.Kind == AgeErrorKind.HeaderMacMismatch,
            "header failure" => error?.Kind == AgeErrorKind.InvalidHeader,
            "payload failure" => error?.Kind is AgeErrorKind.PayloadCorrupt or AgeErrorKind.Truncated or AgeErrorKind.TrailingData,
            "armor failure" => error?.Kind == AgeErrorKind.InvalidArmor,
            _ => false,
        };
        if (!kindOk)
        {
            return $"expected {Expect}, got {(error is null ? "success" : $"{error.Kind}: {error.Message}")}";
        }
        // For payload failures the hash pins exactly how much authenticated plaintext was released.
        if (Payload is not null && (Expect is "success" or "payload failure") && hash != Payload)
        {
            return $"released plaintext ({released.Length} bytes) hashes to {hash}, want {Payload}";
        }
        if (Expect is not ("success" or "payload failure") && released.Length != 0)
        {
            return $"released {released.Length} bytes despite a {Expect}";
        }
        return null;
    }

    private (MemoryStream Released, AgeException? Error) Decrypt(IEnumerable<IIdentity> given)
    {
        var identities = given.ToList();
        if (identities.Count == 0)
        {
            // Vectors for malformed files name no identity; any non-matching one will do.
            identities.Add(X25519Identity.Generate());
        }
        var released = new MemoryStream();
        try
        {
            Age.Decrypt(new MemoryStream(File), released, identities);
            return (released, null);
        }
        catch (AgeException e)
        {
            return (released, e);
        }
        finally
        {
            foreach (var id in identities)
            {
                ((IDisposable)id).Dispose();
            }
        }
    }
}
