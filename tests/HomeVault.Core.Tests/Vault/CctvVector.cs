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

    /// <summary>Null when applicable; else why the vector is skipped.</summary>
    public string? SkipReason =>
        Identities.Any(i => !i.StartsWith("AGE-SECRET-KEY-1", StringComparison.Ordinal))
            ? "post-quantum hybrid (mlkem768x25519) identities are not implemented"
            : null;

    /// <summary>Runs the vector; returns null on pass or a description of the mismatch.</summary>
    public string? Check()
    {
        var identities = new List<IIdentity>();
        identities.AddRange(Identities.Select(X25519Identity.Parse));
        identities.AddRange(Passphrases.Select(p => new ScryptIdentity(p)));
        if (identities.Count == 0)
        {
            // Vectors for malformed files name no identity; any non-matching one will do.
            identities.Add(X25519Identity.Generate());
        }
        var released = new MemoryStream();
        AgeException? error = null;
        try
        {
            Age.Decrypt(new MemoryStream(File), released, identities);
        }
        catch (AgeException e)
        {
            error = e;
        }
        finally
        {
            foreach (var id in identities)
            {
                ((IDisposable)id).Dispose();
            }
        }
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
}
