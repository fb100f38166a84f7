using HomeVault.Core.IO;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Clips;

/// <summary>
/// A clip being written: plaintext goes straight into an age stream sealed to the owners, so only
/// ciphertext reaches the disk. <see cref="Sync"/> makes what was written durable and records it in
/// the catalog; <see cref="Complete"/> writes the final chunk and seals the clip (catalog row and
/// audit leaf in one transaction). Not thread-safe: one writer per clip.
/// </summary>
public sealed class OpenClip : IDisposable
{
    private readonly ClipStore _store;
    private readonly FileStream _file;
    private readonly HashingWriteStream _hashing;
    private readonly AgeEncryptingStream _age;
    private DateTimeOffset _end;
    private bool _done;

    internal OpenClip(ClipStore store, long id, string camera, long? runId, string relativePath, FileStream file, HashingWriteStream hashing, AgeEncryptingStream age, DateTimeOffset start)
    {
        _store = store;
        Id = id;
        Camera = camera;
        RunId = runId;
        RelativePath = relativePath;
        _file = file;
        _hashing = hashing;
        _age = age;
        Start = start;
        _end = start;
    }

    public long Id { get; }

    public string Camera { get; }

    public long? RunId { get; }

    public string RelativePath { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Plaintext bytes accepted so far.</summary>
    public long PlaintextBytes => _age.WrittenLength;

    public void Write(ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _age.Write(plaintext);
    }

    /// <summary>fsyncs every whole chunk written so far and records the clip's durable extent, up to <paramref name="end"/>.</summary>
    public void Sync(DateTimeOffset end)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _age.Flush();
        _file.Flush(flushToDisk: true);
        _end = end > _end ? end : _end;
        _store.RecordProgress(Id, _end, _age.CommittedLength, _hashing.BytesWritten);
    }

    /// <summary>Writes the final chunk, fsyncs, and seals the clip in the catalog and the audit log.</summary>
    public Catalog.Clip Complete(DateTimeOffset end)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        _end = end > _end ? end : _end;
        try
        {
            _age.Complete();
            _file.Flush(flushToDisk: true);
        }
        finally
        {
            _age.Dispose();
            _file.Dispose();
        }
        var plaintext = _age.WrittenLength;
        var ciphertext = _hashing.BytesWritten;
        var sha = _hashing.HexDigest();
        _hashing.Dispose();
        return _store.Seal(this, _end, plaintext, ciphertext, sha);
    }

    /// <summary>
    /// Closes without sealing, as a crash would: the catalog row stays 'recording' and the next
    /// start's reconciliation seals it as truncated. Callers that are alive should Complete instead.
    /// </summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        _age.Abandon();
        _age.Dispose();
        _file.Dispose();
        _hashing.Dispose();
    }

    internal static FileStream CreateFile(string fullPath)
    {
        Durable.CreatePrivateDirectory(Path.GetDirectoryName(fullPath)!);
        return Durable.CreateForStreaming(fullPath);
    }
}
