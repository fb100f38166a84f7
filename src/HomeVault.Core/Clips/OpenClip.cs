using System.Text;
using HomeVault.Core.IO;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Clips;

/// <summary>
/// A clip being written: plaintext goes straight into an age stream sealed to the owners, so only
/// ciphertext reaches the disk. <see cref="Sync"/> makes what was written durable; <see cref="Complete"/>
/// writes the final chunk and seals the clip (catalog row and audit leaf in one transaction). Not
/// thread-safe: one writer per clip.
/// </summary>
/// <remarks>
/// After a crash only the file's whole 64 KiB chunks are recoverable, and the tail of the last fragment
/// written usually sits in the chunk the age stream holds back. So the catalog's end is never the end of
/// the last fragment written but of the last one inside the fsynced chunks, and no ciphertext reaches the
/// file before a progress row has recorded where every fragment it may complete ends: the age stream holds
/// sealed chunks until a sync (or until its batch fills) and asks first. Reconciliation then turns the
/// whole chunks a crashed file really holds into the end of the last whole fragment among them.
/// </remarks>
public sealed class OpenClip : IDisposable
{
    private readonly ClipStore _store;
    private readonly FileStream _file;
    private readonly HashingWriteStream _hashing;
    private readonly AgeEncryptingStream _age;
    // Fragments not yet inside the fsynced chunks, in file order; the catalog has the first _recorded of them.
    private readonly List<FragmentEnd> _pending = [];
    private readonly StringBuilder _scratch = new();
    private int _recorded;
    private long _durablePlaintext;
    private long _durableCiphertext;
    private DateTimeOffset _durableEnd;
    private long _recordedDurablePlaintext;
    private DateTimeOffset _lastEnd;
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
        _durableEnd = start;
        _lastEnd = start;
        _durableCiphertext = hashing.BytesWritten;
        _age.HoldUntilFlush(BeforeCiphertextWrite);
    }

    public long Id { get; }

    public string Camera { get; }

    public long? RunId { get; }

    public string RelativePath { get; }

    public DateTimeOffset Start { get; }

    /// <summary>Plaintext bytes accepted so far.</summary>
    public long PlaintextBytes => _age.WrittenLength;

    /// <summary>Appends bytes that end no fragment (the init segment).</summary>
    public void Write(ReadOnlySpan<byte> plaintext)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _age.Write(plaintext);
    }

    /// <summary>Appends one whole fragment whose media ends at <paramref name="end"/>.</summary>
    public void WriteFragment(ReadOnlySpan<byte> fragment, DateTimeOffset end)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _lastEnd = end > _lastEnd ? end : _lastEnd;
        _pending.Add(new FragmentEnd(_age.WrittenLength + fragment.Length, _lastEnd.ToUnixTimeMilliseconds()));
        _age.Write(fragment);
    }

    /// <summary>
    /// Records the fragments written since the last row, then writes and fsyncs every whole chunk written so
    /// far. The catalog's end and bytes become those of this fsync at the next row (the next sync's).
    /// </summary>
    public void Sync()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        if (_recorded < _pending.Count || _recordedDurablePlaintext != _durablePlaintext)
        {
            RecordProgress(finalPlaintext: null);
        }
        _age.Flush();
        _file.Flush(flushToDisk: true);
        _durablePlaintext = _age.CommittedLength;
        _durableCiphertext = _hashing.BytesWritten;
        var inside = 0;
        while (inside < _pending.Count && _pending[inside].PlaintextEnd <= _durablePlaintext)
        {
            inside++;
        }
        if (inside > 0)
        {
            _durableEnd = DateTimeOffset.FromUnixTimeMilliseconds(_pending[inside - 1].EndMs);
            _pending.RemoveRange(0, inside);
            _recorded = Math.Max(0, _recorded - inside);
        }
    }

    /// <summary>Writes the final chunk, fsyncs, and seals the clip in the catalog and the audit log.</summary>
    public Catalog.Clip Complete(DateTimeOffset end)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        end = end > _lastEnd ? end : _lastEnd;
        try
        {
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
            return _store.Seal(this, end, plaintext, ciphertext, sha);
        }
        catch
        {
            // A full disk, most likely: the store seals it as truncated once there is room (ClipStore.SealAbandoned).
            _hashing.Dispose();
            _store.Abandoned(Id, Camera, end);
            throw;
        }
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

    /// <summary>The age stream is about to write ciphertext holding the first <paramref name="committed"/> plaintext bytes.</summary>
    private void BeforeCiphertextWrite(long committed, bool final)
    {
        if (final)
        {
            // A file of exactly the complete length is then the whole clip, which salvage recovers entire.
            RecordProgress(finalPlaintext: committed);
        }
        else if (_recorded < _pending.Count && _pending[_recorded].PlaintextEnd <= committed)
        {
            // A full batch between syncs that completes fragments the catalog has not heard of.
            RecordProgress(finalPlaintext: null);
        }
    }

    private void RecordProgress(long? finalPlaintext)
    {
        _store.RecordProgress(Id, _durableEnd, _durablePlaintext, _durableCiphertext, PendingFragments.Format(_pending, _scratch), finalPlaintext);
        _recorded = _pending.Count;
        _recordedDurablePlaintext = _durablePlaintext;
    }
}
