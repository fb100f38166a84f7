using HomeVault.Tests;

namespace HomeVault.Core.Tests.Vault;

/// <summary>Every C2SP CCTV age vector in ../shared/testdata/age, one theory row each, plus a counted summary.</summary>
public sealed class CctvVectorTests(ITestOutputHelper output)
{
    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        var dir = Path.GetFullPath(Path.Combine(TestEnv.RepoRoot, "..", "shared", "testdata", "age"));
        if (Directory.Exists(dir))
        {
            foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(f));
            }
        }
        else
        {
            // Keeps the theory non-empty; the row then skips (or fails under CI) via TestEnv.TestData.
            data.Add("(vectors missing)");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector(string name)
    {
        var vector = CctvVector.Load(Path.Combine(TestEnv.TestData("age"), name));
        if (vector.SkipReason is { } why)
        {
            Assert.Skip(why);
        }
        var problem = vector.Check();
        Assert.True(problem is null, $"{name}: {problem}");
    }

    [Fact]
    public void Summary_all_applicable_vectors_pass()
    {
        var dir = TestEnv.TestData("age");
        int pass = 0, fail = 0, skip = 0;
        var skipReasons = new Dictionary<string, int>();
        foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            var v = CctvVector.Load(f);
            if (v.SkipReason is { } why)
            {
                skip++;
                skipReasons[why] = skipReasons.GetValueOrDefault(why) + 1;
                continue;
            }
            var problem = v.Check();
            if (problem is null)
            {
                pass++;
            }
            else
            {
                fail++;
                output.WriteLine($"FAIL {v.Name}: {problem}");
            }
        }
        output.WriteLine($"age CCTV vectors: {pass} passed, {fail} failed, {skip} skipped (of {pass + fail + skip})");
        foreach (var (why, n) in skipReasons)
        {
            output.WriteLine($"  skipped {n}: {why}");
        }
        Assert.Equal(0, fail);
        Assert.True(pass > 100, $"only {pass} vectors ran");
    }
}
