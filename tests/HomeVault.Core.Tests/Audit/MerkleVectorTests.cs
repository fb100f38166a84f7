using System.Text.Json;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

/// <summary>transparency-dev/merkle vectors: the verifiers accept exactly where wantErr is false.</summary>
public sealed class MerkleVectorTests(ITestOutputHelper output)
{
    private const string Missing = "(vectors missing)";

    private static string VectorRoot => Path.GetFullPath(Path.Combine(TestEnv.RepoRoot, "..", "shared", "testdata", "merkle"));

    public static TheoryData<string> Files(string kind)
    {
        var dir = Path.Combine(VectorRoot, kind);
        var data = new TheoryData<string>();
        if (!Directory.Exists(dir))
        {
            data.Add(Missing);
            return data;
        }
        foreach (var f in Directory.EnumerateFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(VectorRoot, f));
        }
        return data;
    }

    public static TheoryData<string> InclusionFiles() => Files("inclusion");

    public static TheoryData<string> ConsistencyFiles() => Files("consistency");

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
        var dir = TestEnv.TestData("merkle");
        var inclusion = Directory.GetFiles(Path.Combine(dir, "inclusion"), "*.json", SearchOption.AllDirectories);
        var consistency = Directory.GetFiles(Path.Combine(dir, "consistency"), "*.json", SearchOption.AllDirectories);
        var accept = inclusion.Concat(consistency).Count(f => !JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("wantErr").GetBoolean());
        output.WriteLine($"merkle vectors: {inclusion.Length} inclusion + {consistency.Length} consistency = {inclusion.Length + consistency.Length} ({accept} must verify, the rest must fail); subtree* folders not used");
        Assert.True(inclusion.Length > 50 && consistency.Length > 50);
    }

    private static JsonDocument Load(string file)
    {
        if (file == Missing)
        {
            TestEnv.TestData("merkle");
        }
        return JsonDocument.Parse(File.ReadAllText(Path.Combine(TestEnv.TestData("merkle"), file)));
    }

    private static byte[] B64(JsonElement v, string name) =>
        v.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? Convert.FromBase64String(p.GetString()!) : [];

    private static byte[][] Proof(JsonElement v) =>
        v.TryGetProperty("proof", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(h => Convert.FromBase64String(h.GetString()!)).ToArray()
            : [];
}
