namespace HomeVault.Recording.Configuration;

/// <summary>The <c>HomeVault</c> configuration section.</summary>
public sealed class HomeVaultOptions
{
    public const string SectionName = "HomeVault";

    /// <summary>Where sealed clips, the catalog and the audit log live.</summary>
    public string DataDirectory { get; set; } = "";

    public RetentionOptions Retention { get; set; } = new();

    public IList<CameraOptions> Cameras { get; } = [];

    /// <summary>The off-site replica (an S3 bucket); none when absent.</summary>
    public HomeVault.Core.Replica.ReplicaOptions? Replica { get; set; }
}
