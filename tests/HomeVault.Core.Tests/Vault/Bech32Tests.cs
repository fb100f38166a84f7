using HomeVault.Core.Vault;

namespace HomeVault.Core.Tests.Vault;

/// <summary>BIP-173 examples, and age's key strings built on Bech32.</summary>
public sealed class Bech32Tests
{
    [Theory]
    [InlineData("A12UEL5L")]
    [InlineData("a12uel5l")]
    [InlineData("an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs")]
    [InlineData("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")]
    [InlineData("11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j")]
    [InlineData("split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w")]
    [InlineData("?1ezyfcl")]
    public void Bip173_valid(string s)
    {
        var (hrp, data) = Bech32.Decode(s);
        // Re-encoding reproduces the string (in its case), so the checksum is really verified.
        var again = Bech32.Encode(hrp, data, upper: s.Any(char.IsAsciiLetterUpper));
        Assert.Equal(s, again);
    }

    [Theory]
    [InlineData("\u00201nwldj5", "invalid character")]
    [InlineData("\u007f1axkwrx", "invalid character")]
    [InlineData("\u00801eym55h", "invalid character")]
    [InlineData("an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx", "too long")]
    [InlineData("pzry9x0s0muk", "no separator")]
    [InlineData("1pzry9x0s0muk", "empty human-readable part")]
    [InlineData("x1b4n0q5v", "invalid data character")]
    [InlineData("li1dgmt3", "checksum too short")]
    [InlineData("de1lg7wt\u00ff", "invalid character")]
    [InlineData("A1G7SGD8", "bad checksum")]
    [InlineData("10a06t8", "empty human-readable part")]
    [InlineData("1qzzfhee", "empty human-readable part")]
    [InlineData("a12UEL5L", "mixed case")]
    [InlineData("a12uel5m", "bad checksum")]
    public void Bip173_invalid(string s, string why)
    {
        var e = Assert.Throws<AgeException>(() => Bech32.Decode(s));
        Assert.Equal(AgeErrorKind.InvalidKey, e.Kind);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    private const string KnownSecret = "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";

    [Fact]
    public void Identity_round_trips_and_derives_a_parseable_recipient()
    {
        using var id = X25519Identity.Parse(KnownSecret);
        Assert.Equal(KnownSecret, id.ExportSecret());
        var r = id.Recipient.ToString();
        Assert.StartsWith("age1", r, StringComparison.Ordinal);
        Assert.Equal(id.Recipient, X25519Recipient.Parse(r));
    }

    [Fact]
    public void Key_strings_reject_wrong_case_bad_checksum_and_mixed_case_without_echoing_the_key()
    {
        var lower = Assert.Throws<AgeException>(() => X25519Identity.Parse(KnownSecret.ToLowerInvariant()));
        Assert.Contains("uppercase", lower.Message, StringComparison.Ordinal);
        var mixed = Assert.Throws<AgeException>(() => X25519Identity.Parse("age-SECRET-KEY-1" + KnownSecret[16..]));
        Assert.Contains("mixed case", mixed.Message, StringComparison.Ordinal);
        var flipped = KnownSecret[..^1] + (KnownSecret[^1] == '0' ? 'Q' : '0');
        var bad = Assert.Throws<AgeException>(() => X25519Identity.Parse(flipped));
        Assert.Contains("bad checksum", bad.Message, StringComparison.Ordinal);
        foreach (var e in new[] { lower, mixed, bad })
        {
            Assert.DoesNotContain("EGTZVFFV", e.Message, StringComparison.OrdinalIgnoreCase);
        }
        using var id = X25519Identity.Parse(KnownSecret);
        Assert.Throws<AgeException>(() => X25519Recipient.Parse(id.Recipient.ToString().ToUpperInvariant()));
        Assert.False(X25519Recipient.TryParse("age1qqqq", out _));
    }

    [Fact]
    public void Identity_file_parses_comments_blank_lines_and_crlf_and_names_bad_lines_by_number()
    {
        using var a = X25519Identity.Generate();
        var text = IdentityFile.Format(a, DateTimeOffset.UnixEpoch) + "\r\n# another\r\n" + KnownSecret + "\r\n";
        var ids = IdentityFile.Parse(text);
        Assert.Equal(2, ids.Count);
        Assert.Equal(a.Recipient, ids[0].Recipient);
        foreach (var id in ids)
        {
            id.Dispose();
        }
        var e = Assert.Throws<AgeException>(() => IdentityFile.Parse("# c\n\nAGE-SECRET-KEY-1NOTAKEY\n"));
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("NOTAKEY", e.Message, StringComparison.Ordinal);
    }
}
