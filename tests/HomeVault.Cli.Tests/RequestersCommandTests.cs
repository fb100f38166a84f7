using HomeVault.Core.Disclosure.Requesters;
using HomeVault.Core;
using HomeVault.Core.Catalog;

namespace HomeVault.Cli.Tests;

/// <summary>`homevault requesters add|list|revoke` through the real executable.</summary>
public sealed class RequestersCommandTests
{
    private const string Recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    [Fact]
    public void Add_prints_the_token_last_stores_only_its_hash_and_list_and_revoke_follow()
    {
        var (dir, data, _) = Homevault.Init();
        try
        {
            var add = Homevault.Run("requesters", "add", "spd", "--recipient", Recipient, "--data", data);
            Assert.True(add.Exit == 0, add.Stderr);
            var token = add.LastLine;
            Assert.Matches("^hvr_[A-Za-z0-9_-]{43}$", token);
            Assert.DoesNotContain(token, File.ReadAllText(Path.Combine(data, "catalog.db"), System.Text.Encoding.Latin1));
            using (var db = CatalogDatabase.Open(new DataDirectory(data).CatalogPath))
            {
                Assert.Equal("spd", new RequesterRepository(db).Authenticate(token)?.Name);
                Assert.Null(new RequesterRepository(db).Authenticate(token + "x"));
            }

            var list = Homevault.Run("requesters", "list", "--data", data);
            Assert.Contains($"spd  active", list.Stdout);
            Assert.Contains(Recipient, list.Stdout);
            Assert.DoesNotContain(token, list.Stdout);

            Assert.Equal(0, Homevault.Run("requesters", "revoke", "spd", "--data", data).Exit);
            Assert.Contains("spd  revoked", Homevault.Run("requesters", "list", "--data", data).Stdout);
            using (var db = CatalogDatabase.Open(new DataDirectory(data).CatalogPath))
            {
                Assert.Null(new RequesterRepository(db).Authenticate(token));
            }
            var audit = Homevault.Run("audit", "log", "--data", data);
            Assert.Contains("requester.added", audit.Stdout);
            Assert.Contains("requester.revoked", audit.Stdout);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bad_input_is_one_line_exit_1_and_changes_nothing()
    {
        var (dir, data, _) = Homevault.Init();
        try
        {
            var badKey = Homevault.Run("requesters", "add", "spd", "--recipient", "age1nope", "--data", data);
            Assert.Equal(1, badKey.Exit);
            Assert.Equal("homevault: --recipient: not an age X25519 recipient (age1...)", badKey.Stderr.Trim());
            var badName = Homevault.Run("requesters", "add", "Bad Name", "--recipient", Recipient, "--data", data);
            Assert.Equal(1, badName.Exit);
            Assert.Single(badName.Stderr.Trim().Split('\n'));
            Assert.Equal(0, Homevault.Run("requesters", "add", "spd", "--recipient", Recipient, "--data", data).Exit);
            var twice = Homevault.Run("requesters", "add", "spd", "--recipient", Recipient, "--data", data);
            Assert.Equal(1, twice.Exit);
            var unknown = Homevault.Run("requesters", "revoke", "nobody", "--data", data);
            Assert.Equal(1, unknown.Exit);
            Assert.Contains("no active requester named 'nobody'", unknown.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
