namespace HomeVault.Recording.Configuration;

public sealed class RetentionOptions
{
    /// <summary>Default age limit for footage, overridable per camera.</summary>
    public int Days { get; set; } = 30;

    /// <summary>Global budget for sealed clips; 0 = no budget.</summary>
    public long MaxBytes { get; set; }

    /// <summary>Free space to keep on the data volume; oldest footage goes first below it.</summary>
    public long MinFreeBytes { get; set; } = 1L << 30;
}
