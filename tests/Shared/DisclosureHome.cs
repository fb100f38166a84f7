using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Keys;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Tests;

/// <summary>
/// A real data directory for disclosure: catalog file, audit key, owners "owner1".."ownerN" with passphrase-sealed key
/// files as `homevault init` writes them (so every unlock costs a real scrypt), a clock the test moves, a clip store on
/// that clock, and requests submitted through Core's intake. Requests are about the evening of 2026-11-19, four days
/// before <see cref="Now"/>, sealed to <see cref="Recipient"/>.
/// </summary>
internal sealed class DisclosureHome : IDisposable
{
    public const string Passphrase = "correct horse battery staple";

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The start of the window requests ask for (2026-11-19T20:00Z; they end two hours later).</summary>
    public static readonly DateTimeOffset Evening = new(2026, 11, 19, 20, 0, 0, TimeSpan.Zero);

    public DisclosureHome(int owners = 1, int quorum = 1)
    {
        Data = new DataDirectory(TestEnv.NewTempDir("hvdisclosure"));
        Directory.CreateDirectory(Data.KeysDir);
        Db = CatalogDatabase.Open(Data.CatalogPath, create: true);
        var settings = new SettingsRepository(Db);
        settings.Set(SettingsRepository.InstallId, "test");
        settings.Set(RequestRepository.QuorumSetting, quorum.ToString(CultureInfo.InvariantCulture));
        InstallationAudit.CreateKey(Data);
        Audit = InstallationAudit.Open(Data, Db, Time);
        for (var i = 1; i <= owners; i++)
        {
            var keys = new OwnerKeyStore(Data).Create($"owner{i}", Passphrase, Time.Now);
            new OwnerRepository(Db).Add(keys.Owner, keys.AgeRecipient, keys.MinisignPublicKey, Time.Now);
        }
        Store = new ClipStore(Data, Db, Audit.Log, Time);
    }

    public ManualTime Time { get; } = new(Now);

    public DataDirectory Data { get; }

    public SqliteConnection Db { get; }

    public InstallationAudit Audit { get; }

    public ClipStore Store { get; }

    /// <summary>The requester's identity: the releases are sealed to it alone.</summary>
    public X25519Identity Recipient { get; } = X25519Identity.Generate();

    public static ReadOnlySpan<byte> Pass => Encoding.UTF8.GetBytes(Passphrase);

    public DisclosureService Service(IReleaseMedia? media = null) => new(Data, Db, Time, media);

    /// <summary>A search-warrant request for <paramref name="cameras"/> over [<see cref="Evening"/>, +2 h), through Core's intake.</summary>
    public StoredRequest Submit(params string[] cameras)
    {
        var json = new JsonObject
        {
            ["requester"] = new JsonObject { ["organization"] = "Springfield Police Department", ["contact"] = "records@springfield.example", ["recipient"] = Recipient.Recipient.ToString() },
            ["legalBasis"] = new JsonObject { ["type"] = "search-warrant", ["reference"] = "SW-2026-0142", ["issuedBy"] = "Springfield District Court", ["issuedOn"] = "2026-11-20", ["expiresOn"] = "2026-12-20" },
            ["scope"] = new JsonObject { ["cameras"] = new JsonArray([.. cameras.Select(c => JsonValue.Create(c))]), ["from"] = "2026-11-19T20:00:00Z", ["to"] = "2026-11-19T22:00:00Z" },
            ["purpose"] = "Vehicle break-in reported on Elm Street",
        };
        var request = new AccessRequestValidator(cameras, Time).Parse(Encoding.UTF8.GetBytes(json.ToJsonString()));
        return new RequestIntake(Data, Store.Catalog).Submit(request, null, "test");
    }

    public StoredRequest Request(string id) => new RequestRepository(Db, Time).Get(id);

    public MinisignPublicKey OwnerKey(string owner) => new OwnerKeyStore(Data).ReadMinisignPublicKey(owner);

    /// <summary>An owner's identity, unlocked with the passphrase (one scrypt).</summary>
    public X25519Identity Identity(string owner) => new OwnerKeyStore(Data).UnlockIdentity(owner, Passphrase);

    public long LogSize() => Audit.Log.Size();

    /// <summary>The audit entries from <paramref name="index"/> on.</summary>
    public IReadOnlyList<AuditEntry> LogFrom(long index) => Audit.Log.GetEntries(index, (int)(Audit.Log.Size() - index));

    /// <summary>The whole audit log verifies against the catalog and the clip files.</summary>
    public void AssertLogVerifies()
    {
        var report = Audit.Log.Verify(new AuditVerifyOptions { DataDirectory = Data.Root });
        Assert.True(report.Ok, report.ToString());
    }

    public void Dispose()
    {
        Audit.Dispose();
        Db.Dispose();
        Recipient.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Data.Root, recursive: true);
    }
}
