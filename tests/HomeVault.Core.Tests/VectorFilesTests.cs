namespace HomeVault.Tests;

/// <summary>Every vector file tests/vectors lists is there, unaltered, and nothing unlisted sits beside them.</summary>
public sealed class VectorFilesTests
{
    [Theory]
    [InlineData("age", 143)]
    [InlineData("merkle", 196)]
    public void Vector_files_match_their_SHA256SUMS(string set, int count)
    {
        var manifest = VectorFiles.Manifest(set);
        Assert.Equal(count, manifest.Count);
        foreach (var (file, sha256) in manifest)
        {
            Assert.Equal(sha256, VectorFiles.Sha256Of(VectorFiles.PathOf(set, file)));
        }
        var dir = Path.Combine(VectorFiles.SetDir(set), "testdata");
        var present = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f));
        Assert.Empty(present.Except(manifest.Select(e => e.File)));
    }
}
