namespace HomeVault.Core.Disclosure.Releases;

/// <summary>An opened release .tar for its recipient: the caller streams <see cref="Content"/> and disposes it.</summary>
public sealed record ReleaseDownload(string RequestId, string FileName, long Length, Stream Content) : IDisposable
{
    public void Dispose() => Content.Dispose();
}
