using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Replica;

/// <summary>
/// The whole keys/ directory as one tar (the replica seals it to the owners): the owners' passphrase-sealed keys and
/// public keys, and the audit checkpoint key, so a restored recorder signs on as the same log.
/// </summary>
public static class KeysBundle
{
    /// <summary>The tar of keys/ and a digest of its files' names and bytes (to see when one changed).</summary>
    public static (byte[] Tar, string Digest) Read(DataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var tar = new MemoryStream();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var path in Directory.GetFiles(data.KeysDir).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                var bytes = File.ReadAllBytes(path);
                digest.AppendData(Encoding.UTF8.GetBytes(name + "\n" + bytes.Length + "\n"));
                digest.AppendData(bytes);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes), Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
                writer.WriteEntry(entry);
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
        return (tar.ToArray(), Convert.ToHexStringLower(digest.GetCurrentHash()));
    }

    /// <summary>Writes the bundle's files into <paramref name="keysDir"/> (owner-only, fsynced); returns their names.</summary>
    /// <exception cref="InvalidDataException">An entry that is not a plain file name.</exception>
    public static IReadOnlyList<string> Extract(byte[] tar, string keysDir)
    {
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            var name = entry.Name;
            if (entry.EntryType != TarEntryType.RegularFile || name.Length == 0 || name != Path.GetFileName(name) || name.StartsWith('.'))
            {
                throw new InvalidDataException($"the keys bundle holds an entry that is not a key file: {name}");
            }
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            IO.Durable.CreateNew(Path.Combine(keysDir, name), content.GetBuffer().AsSpan(0, (int)content.Length));
            CryptographicOperations.ZeroMemory(content.GetBuffer());
            names.Add(name);
        }
        return names;
    }
}
