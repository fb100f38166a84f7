using System.Text.Json;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>
/// transparency-dev/merkle vectors (tests/vectors/merkle, Apache-2.0): the verifiers accept exactly where wantErr is
/// false. Rows come from the set's SHA256SUMS, so a missing file fails (see <see cref="VectorFiles"/>).
/// </summary>
public sealed class MerkleVectorTests(ITestOutputHelper output)
{
    private const string Set = "merkle";

    public static TheoryData<string> InclusionFiles() => VectorFiles.Rows(Set, f => f.StartsWith("inclusion/", StringComparison.Ordinal));

    public static TheoryData<string> ConsistencyFiles() => VectorFiles.Rows(Set, f => f.StartsWith("consistency/", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(InclusionFiles))]
    public void Inclusion_vector(string file)
    {
        using var doc = Load(file);
        var v = doc.RootElement;
        // Indexes beyond long.MaxValue (uint64 wrap-arounds in the vectors) cannot name a leaf: rejected.
        var ok = v.GetProperty("leafIdx").TryGetInt64(out var index) && v.GetProperty("treeSize").TryGetInt64(out var size) &&
            MerkleProofs.VerifyInclusion(index, size, B64(v, "leafHash"), Proof(v), B64(v, "root"));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), ok);
    }

    [Theory]
    [MemberData(nameof(ConsistencyFiles))]
    public void Consistency_vector(string file)
    {
        using var doc = Load(file);
        var v = doc.RootElement;
        var ok = v.GetProperty("size1").TryGetInt64(out var size1) && v.GetProperty("size2").TryGetInt64(out var size2) &&
            MerkleProofs.VerifyConsistency(size1, size2, Proof(v), B64(v, "root1"), B64(v, "root2"));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), ok);
    }

    [Fact]
    public void Vector_counts()
    {
        var files = VectorFiles.Manifest(Set).Select(e => e.File).ToList();
        var inclusion = files.Count(f => f.StartsWith("inclusion/", StringComparison.Ordinal));
        var consistency = files.Count(f => f.StartsWith("consistency/", StringComparison.Ordinal));
        var accept = files.Count(f => !JsonDocument.Parse(File.ReadAllText(VectorFiles.PathOf(Set, f))).RootElement.GetProperty("wantErr").GetBoolean());
        output.WriteLine($"merkle vectors: {inclusion} inclusion + {consistency} consistency = {files.Count} ({accept} must verify, the rest must fail); upstream's subtree* folders are not copied");
        Assert.Equal(98, inclusion);
        Assert.Equal(98, consistency);
        Assert.Equal(files.Count, inclusion + consistency);
    }

    private static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllText(VectorFiles.PathOf(Set, file)));

    private static byte[] B64(JsonElement v, string name) =>
        v.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? Convert.FromBase64String(p.GetString()!) : [];

    private static byte[][] Proof(JsonElement v) =>
        v.TryGetProperty("proof", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToArray()
            : [];
}
