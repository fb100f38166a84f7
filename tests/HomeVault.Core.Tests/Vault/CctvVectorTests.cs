using HomeVault.Tests;

namespace HomeVault.Core.Tests.Vault;

/// <summary>
/// Every C2SP CCTV age vector in tests/vectors/age (0BSD), one theory row each, plus a counted summary. The vectors
/// for age's post-quantum hybrid recipients, which HomeVault does not implement, run as checks that HomeVault refuses
/// them as unsupported and releases nothing; none is skipped.
/// </summary>
public sealed class CctvVectorTests(ITestOutputHelper output)
{
    private const string Set = "age";

    // The 19 vectors of age's mlkem768x25519 recipient type in this copy (see tests/vectors/README.md).
    private const int PostQuantumVectors = 19;

    public static TheoryData<string> VectorNames() => VectorFiles.Rows(Set);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector(string name)
    {
        var vector = CctvVector.Load(VectorFiles.PathOf(Set, name));
        var problem = vector.IsPostQuantum ? vector.CheckUnsupported() : vector.Check();
        Assert.True(problem is null, $"{name}: {problem}");
    }

    [Fact]
    public void Summary_all_vectors_pass_and_post_quantum_ones_are_refused_as_unsupported()
    {
        int pass = 0, fail = 0, refused = 0;
        var outcomes = new Dictionary<string, int>();
        foreach (var (file, _) in VectorFiles.Manifest(Set))
        {
            var v = CctvVector.Load(VectorFiles.PathOf(Set, file));
            var problem = v.IsPostQuantum ? v.CheckUnsupported() : v.Check();
            if (problem is not null)
            {
                fail++;
                output.WriteLine($"FAIL {v.Name}: {problem}");
            }
            else if (v.IsPostQuantum)
            {
                refused++;
                outcomes[v.Outcome!] = outcomes.GetValueOrDefault(v.Outcome!) + 1;
            }
            else
            {
                pass++;
            }
        }
        output.WriteLine($"age CCTV vectors: {pass} passed as the vector expects, {refused} post-quantum (mlkem768x25519) ones " +
            $"refused as unsupported with no plaintext released, {fail} failed (of {pass + refused + fail})");
        foreach (var (outcome, n) in outcomes.OrderByDescending(kv => kv.Value))
        {
            output.WriteLine($"  {n} x {outcome}");
        }
        Assert.Equal(0, fail);
        Assert.Equal(PostQuantumVectors, refused);
        Assert.True(pass > 100, $"only {pass} vectors ran");
    }
}
