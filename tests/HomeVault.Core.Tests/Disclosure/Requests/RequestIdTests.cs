using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Tests.Disclosure.Requests;

public sealed class RequestIdTests
{
    [Fact]
    public void Ids_are_url_safe_fixed_length_and_distinct()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => RequestId.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^req_[a-z2-7]{26}$", id));
        Assert.All(ids, id => Assert.True(RequestId.IsValid(id)));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // 128 random bits: the last character carries 3 bits padded with zeros, so it is one of 8 letters.
        Assert.All(ids, id => Assert.Contains(id[^1], "aeimquy4"));
        // Every other position uses the whole alphabet.
        Assert.Equal(32, ids.Select(id => id[10]).Distinct().Count());
    }

    [Theory]
    [InlineData("req_abc")]
    [InlineData("REQ_AAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("req_aaaaaaaaaaaaaaaaaaaaaaaaa1")]
    [InlineData("req_aaaaaaaaaaaaaaaaaaaaaaaaaa/")]
    [InlineData("../etc/passwd")]
    public void Malformed_ids_are_refused(string id)
    {
        Assert.False(RequestId.IsValid(id));
        Assert.Throws<AccessRequestException>(() => RequestId.ThrowIfInvalid(id));
    }
}
