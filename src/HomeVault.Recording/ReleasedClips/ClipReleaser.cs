using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Vault;
using HomeVault.Recording.Fmp4;

namespace HomeVault.Recording.ReleasedClips;

/// <summary>
/// Turns one owner-sealed clip into a recipient-sealed one for a release, never re-encoding video and never
/// writing plaintext to disk. A clip wholly inside the window (and needing no audio removal) is decrypted and
/// re-encrypted as is; an edge clip keeps only the fragments lying wholly inside the window, from the first of them
/// that starts at a keyframe, its timeline rebased to zero; audio is removed by ffmpeg stream copy through pipes when asked.
/// </summary>
internal sealed class ClipReleaser(IReadOnlyList<IIdentity> ownerIdentities, IRecipient recipient, string ffmpegPath) : IReleasedClipWriter
{
    /// <summary>Writes the released form of <paramref name="clip"/> under <paramref name="packageDir"/>; null when none of it lies in [<paramref name="windowFrom"/>, <paramref name="windowTo"/>).</summary>
    public ManifestClip? Release(string clipPath, Clip clip, DateTimeOffset windowFrom, DateTimeOffset windowTo, bool stripAudio, string packageDir, CancellationToken ct)
    {
        try
        {
            return ReleaseCore(clipPath, clip, windowFrom, windowTo, stripAudio, packageDir, ct);
        }
        catch (AgeException ex) when (ex.Kind == AgeErrorKind.NoIdentityMatched)
        {
            throw new ReleaseException($"clip {clip.Path} is not sealed to the approving owner (it was recorded before they were added); an owner whose key sealed the footage must give the last signature", ex);
        }
        catch (AgeException ex)
        {
            throw new ReleaseException($"clip {clip.Path} cannot be decrypted: {ex.Message}", ex);
        }
        catch (Fmp4Exception ex)
        {
            throw new ReleaseException($"clip {clip.Path} is not a well-formed fragmented MP4: {ex.Message}", ex);
        }
    }

    private ManifestClip? ReleaseCore(string clipPath, Clip clip, DateTimeOffset from, DateTimeOffset to, bool stripAudio, string packageDir, CancellationToken ct)
    {
        var whole = clip.State == ClipState.Complete && clip.Start >= from && clip.End <= to;
        if (whole && !stripAudio)
        {
            return Write(packageDir, clip.Camera, clip.Start, clip.End, output =>
            {
                using var input = File.OpenRead(clipPath);
                using var plain = Age.DecryptingStream(input, ownerIdentities);
                plain.CopyTo(output, 1 << 20);
            });
        }
        // A whole clip keeps every fragment: its catalog end is cut to the millisecond, so its last fragment can end a
        // fraction of one after it, and a window ending at the clip's end must not drop that fragment.
        var window = whole ? Trim(clipPath, clip, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, ct) : Trim(clipPath, clip, from, to, ct);
        if (window is null)
        {
            return null;
        }
        var (init, fragments, start, end, hasAudio) = window.Value;
        (start, end) = whole ? (clip.Start, clip.End) : (start, end);
        return Write(packageDir, clip.Camera, start, end, output =>
        {
            if (stripAudio && hasAudio)
            {
                AudioStripper.VideoOnly(ffmpegPath, s => WriteAll(s, init, fragments), output, ct);
            }
            else
            {
                WriteAll(output, init, fragments);
            }
        });
    }

    private static void WriteAll(Stream s, byte[] init, List<byte[]> fragments)
    {
        s.Write(init);
        foreach (var f in fragments)
        {
            s.Write(f);
        }
    }

    /// <summary>
    /// The init segment and the fragments lying wholly inside [from, to) from the first keyframe, rebased so the first starts at zero,
    /// with the wall-clock span they cover. A clip is at most a few minutes, so its kept fragments fit in memory.
    /// </summary>
    private (byte[] Init, List<byte[]> Fragments, DateTimeOffset Start, DateTimeOffset End, bool HasAudio)? Trim(
        string clipPath, Clip clip, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        using var input = File.OpenRead(clipPath);
        using var plain = Age.DecryptingStream(input, ownerIdentities);
        var reader = new Fmp4Reader(plain);
        var kept = new List<byte[]>();
        DateTimeOffset? start = null;
        var end = DateTimeOffset.MinValue;
        InitSegment? init = null;
        try
        {
            init = reader.ReadInitSegmentAsync(ct).AsTask().GetAwaiter().GetResult()
                ?? throw new ReleaseException($"clip {clip.Path} has no init segment");
            // The clip's wall-clock start is its first fragment's time, as when it was recorded.
            var window = new FragmentWindow(init, clip.Start);
            while (reader.ReadFragmentAsync(ct).AsTask().GetAwaiter().GetResult() is { } fragment)
            {
                var (fStart, fEnd) = window.Place(fragment);
                if (fStart >= to)
                {
                    break;
                }
                if (fStart < from || fEnd > to)
                {
                    continue; // partly outside the window: nothing outside the approved scope leaves
                }
                if (start is null && !fragment.StartsWithKeyframe)
                {
                    continue; // what is released plays from its start: it starts at a keyframe
                }
                start ??= fStart;
                window.Keep(fragment);
                kept.Add(fragment.Bytes.ToArray());
                end = fEnd;
            }
        }
        catch (AgeException ex) when (clip.State == ClipState.Truncated && ex.Kind is AgeErrorKind.Truncated or AgeErrorKind.PayloadCorrupt)
        {
            // A crash-truncated clip: its authenticated prefix is what it has.
        }
        return start is null || init is null ? null
            : (init.Bytes.ToArray(), kept, start.Value, end, init.Tracks.Any(t => t.Handler == "soun"));
    }

    /// <summary>Encrypts what <paramref name="produce"/> writes to the recipient, hashing plaintext and ciphertext on the way, and fsyncs the file.</summary>
    private ManifestClip Write(string packageDir, string camera, DateTimeOffset start, DateTimeOffset end, Action<Stream> produce)
    {
        var relative = ReleaseFiles.ClipPath(camera, start);
        var path = Path.Combine(packageDir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var cipher = new HashingWriteStream(file);
        string plainSha;
        using (var age = Age.EncryptingStream(cipher, [recipient], leaveOpen: true))
        using (var plain = new HashingWriteStream(age))
        {
            produce(plain);
            plainSha = plain.HexDigest();
            age.Complete();
        }
        file.Flush(flushToDisk: true);
        return new ManifestClip(relative, camera, start, end, plainSha, cipher.HexDigest(), cipher.BytesWritten);
    }
}
