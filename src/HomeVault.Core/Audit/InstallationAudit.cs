using HomeVault.Core.Catalog;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Audit;

/// <summary>
/// The audit log of one HomeVault installation: its checkpoint key from the data directory and its
/// origin line derived from the install id, so every command and the service sign the same log.
/// </summary>
public sealed class InstallationAudit : IDisposable
{
    /// <summary>The signed-note key name of every installation's log key.</summary>
    public const string KeyName = "homevault";

    private readonly NoteSigner _signer;

    private InstallationAudit(NoteSigner signer, AuditLog log)
    {
        _signer = signer;
        Log = log;
    }

    public AuditLog Log { get; }

    public static string Origin(string installId) => $"homevault.local/{installId}";

    /// <summary>Creates the checkpoint key and its public verifier file (at `init`).</summary>
    public static string CreateKey(DataDirectory data)
    {
        using var signer = AuditKeyFile.LoadOrCreate(data.AuditKeyPath, KeyName);
        IO.Durable.CreateNew(data.AuditVerifierKeyPath, System.Text.Encoding.UTF8.GetBytes(signer.Verifier.VerifierKey + "\n"));
        return signer.Verifier.VerifierKey;
    }

    public static InstallationAudit Open(DataDirectory data, SqliteConnection db, TimeProvider? time = null)
    {
        var installId = new SettingsRepository(db).Get(SettingsRepository.InstallId)
            ?? throw new CatalogException("catalog has no install id; it was not created by 'homevault init'");
        if (!File.Exists(data.AuditKeyPath))
        {
            throw new CatalogException($"audit checkpoint key {data.AuditKeyPath} is missing");
        }
        var signer = AuditKeyFile.Load(data.AuditKeyPath);
        try
        {
            return new InstallationAudit(signer, new AuditLog(db, signer, Origin(installId), time));
        }
        catch
        {
            signer.Dispose();
            throw;
        }
    }

    public void Dispose() => _signer.Dispose();
}
