using System.Text;
using HomeVault.Core.Audit;

namespace HomeVault.Tests.Audit;

public sealed class CanonicalEntryTests
{
    [Fact]
    public void Encoding_is_exactly_the_documented_bytes()
    {
        var e = new AuditEvent("owner:alice", AuditActions.RequestApproved, "req-42", new Dictionary<string, string>
        {
            ["zeta"] = "last",
            ["Alpha"] = "upper sorts first",
            ["ä"] = "non-ascii \u00e9 \"quoted\" back\\slash\nnewline\u0001",
            ["a"] = "plain",
        });
        var bytes = AuditEntry.Encode(1_764_000_000_123, e);
        const string expected =
            "{\"action\":\"request.approved\",\"actor\":\"owner:alice\",\"details\":{\"Alpha\":\"upper sorts first\",\"a\":\"plain\",\"zeta\":\"last\"," +
            "\"ä\":\"non-ascii é \\\"quoted\\\" back\\\\slash\\nnewline\\u0001\"},\"subject\":\"req-42\",\"time\":1764000000123}";
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), bytes);
    }

    [Fact]
    public void Same_entry_always_hashes_the_same_regardless_of_insertion_order()
    {
        var a = new AuditEvent("x", AuditActions.Gap, "cam1", new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" });
        var b = new AuditEvent("x", AuditActions.Gap, "cam1", new[] { KeyValuePair.Create("a", "1"), KeyValuePair.Create("b", "2") });
        Assert.Equal(AuditEntry.Create(0, 5, a).LeafHash.ToArray(), AuditEntry.Create(7, 5, b).LeafHash.ToArray());
        // Pinned: a change in the encoder would silently break every existing log.
        Assert.Equal("{\"action\":\"gap\",\"actor\":\"x\",\"details\":{\"a\":\"1\",\"b\":\"2\"},\"subject\":\"cam1\",\"time\":5}",
            Encoding.UTF8.GetString(AuditEntry.Create(0, 5, a).CanonicalBytes.Span));
        // SHA-256(0x00 || those bytes), computed independently with Python's hashlib.
        Assert.Equal("6db67d629fc7c4ca9c69b50f6e5534ac66b4f5529671c29bfe815f3c96927ea1", Convert.ToHexStringLower(AuditEntry.Create(0, 5, a).LeafHash.Span));
    }

    [Fact]
    public void Decode_round_trips_and_rejects_non_canonical_bytes()
    {
        var e = AuditEvent.ClipSealed("recorder", "front-door", 1000, 61000, new string('a', 64), "clips/front-door/1000.age");
        var entry = AuditEntry.Create(3, 99, e);
        var back = AuditEntry.TryDecode(3, entry.CanonicalBytes.Span, out var error);
        Assert.NotNull(back);
        Assert.Null(error);
        Assert.Equal(99, back.TimeMs);
        Assert.Equal("front-door", back.Event.Details["camera"]);
        Assert.Equal(entry.LeafHash.ToArray(), back.LeafHash.ToArray());

        var text = Encoding.UTF8.GetString(entry.CanonicalBytes.Span);
        foreach (var variant in new[]
        {
            text.Replace(",\"time\":99}", ", \"time\":99}", StringComparison.Ordinal),          // whitespace
            text.Replace("\"time\":99", "\"time\":99.0", StringComparison.Ordinal),              // number form
            "{\"time\":99," + text[1..].Replace(",\"time\":99", "", StringComparison.Ordinal),   // member order
            text + " ",                                                                           // trailing bytes
            text.Replace("front-door\"", "front\\u002ddoor\"", StringComparison.Ordinal),        // needless escape
        })
        {
            Assert.Null(AuditEntry.TryDecode(3, Encoding.UTF8.GetBytes(variant), out var why));
            Assert.NotNull(why);
        }
    }

    [Fact]
    public void Edges_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new AuditEvent("x", "", "s"));
        Assert.Throws<ArgumentException>(() => new AuditEvent("x", "Clip.Sealed", "s"));
        Assert.Throws<ArgumentException>(() => new AuditEvent("x", "clip..sealed", "s"));
        Assert.Throws<ArgumentException>(() => new AuditEvent("", AuditActions.Gap, "s"));
        Assert.Throws<ArgumentException>(() => new AuditEvent("x", AuditActions.Gap, "s", new Dictionary<string, string> { [""] = "v" }));
        Assert.Throws<ArgumentException>(() => new AuditEvent("x", AuditActions.Gap, "bad \ud800 surrogate"));
        Assert.Throws<ArgumentException>(() => AuditEvent.ClipSealed("x", "cam", 10, 5, new string('a', 64), "p"));
        Assert.Throws<ArgumentException>(() => AuditEvent.ClipDeleted("x", "p", "ABC", "retention"));
        Assert.Throws<ArgumentException>(() => AuditEvent.ClipDeletedRemote("x", "p", new string('a', 64), ""));
        Assert.All(AuditActions.All, a => Assert.True(AuditActions.IsWellFormed(a), a));
        // All lists every action constant exactly once (verification and the report rely on it).
        var constants = typeof(AuditActions).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(constants, AuditActions.All.Order(StringComparer.Ordinal).ToList());
        Assert.Equal(27, constants.Count);
    }
}
