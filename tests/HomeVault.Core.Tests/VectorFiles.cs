using System.Security.Cryptography;

namespace HomeVault.Tests;

/// <summary>
/// The third-party vectors kept in the repository under tests/vectors (provenance and licences in its README.md).
/// Each set's SHA256SUMS lists every vector file of SET/testdata: the theories take their rows from that list, so a
/// deleted file fails its row (and <see cref="VectorFilesTests"/>) instead of quietly leaving the theory.
/// </summary>
internal static class VectorFiles
{
    /// <summary>The row a theory gets when the set's SHA256SUMS is missing: it fails in <see cref="PathOf"/>.</summary>
    public const string MissingManifest = "(tests/vectors SHA256SUMS missing)";

    public static string SetDir(string set) => Path.Combine(TestEnv.RepoRoot, "tests", "vectors", set);

    /// <summary>SET/SHA256SUMS as (path relative to SET/testdata, lowercase hex SHA-256), in its order.</summary>
    public static IReadOnlyList<(string File, string Sha256)> Manifest(string set)
    {
        var sums = Path.Combine(SetDir(set), "SHA256SUMS");
        Assert.True(File.Exists(sums), $"{sums} is missing: the vectors are part of the repository (tests/vectors/README.md)");
        return File.ReadAllLines(sums).Where(l => l.Length > 0).Select(l => (l[66..], l[..64])).ToList();
    }

    /// <summary>One theory row per listed file (optionally filtered); a single failing row when the list is missing.</summary>
    public static TheoryData<string> Rows(string set, Func<string, bool>? where = null)
    {
        var data = new TheoryData<string>();
        if (!File.Exists(Path.Combine(SetDir(set), "SHA256SUMS")))
        {
            data.Add(MissingManifest);
            return data;
        }
        foreach (var (file, _) in Manifest(set).Where(e => where?.Invoke(e.File) ?? true))
        {
            data.Add(file);
        }
        return data;
    }

    /// <summary>Full path of a listed vector file; a missing one fails the test, never skips it.</summary>
    public static string PathOf(string set, string file)
    {
        Assert.NotEqual(MissingManifest, file);
        var path = Path.Combine(SetDir(set), "testdata", file);
        Assert.True(File.Exists(path), $"vector file {path} is missing: the vectors are part of the repository (tests/vectors/README.md)");
        return path;
    }

    public static string Sha256Of(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
