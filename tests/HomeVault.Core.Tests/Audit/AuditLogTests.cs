using System.Text;
using HomeVault.Core.Audit;
using Microsoft.Data.Sqlite;

namespace HomeVault.Tests.Audit;

public sealed class AuditLogTests
{
    [Fact]
    public void Append_prove_verify_round_trip_against_naive_tree_sizes_1_to_300()
    {
        using var t = new AuditTestLog();
        var leaves = new List<byte[]>();
        for (var n = 1; n <= 300; n++)
        {
            var index = t.Log.Append(AuditTestLog.Event(n));
            Assert.Equal(n - 1, index);
            leaves.Add(t.Log.GetEntry(index).LeafHash.ToArray());
            Assert.Equal(NaiveMerkle.Root(leaves), t.Log.RootAt(n));
            var probe = (n * 37) % n;
            Assert.True(MerkleProofs.VerifyInclusion(probe, n, leaves[probe], t.Log.InclusionProof(probe, n), NaiveMerkle.Root(leaves)));
            var old = Math.Max(1, n / 3);
            Assert.True(MerkleProofs.VerifyConsistency(old, n, t.Log.ConsistencyProof(old, n), NaiveMerkle.Root(leaves, 0, old), NaiveMerkle.Root(leaves)));
            if (n % 50 == 0)
            {
                t.Reopen();
            }
        }
        // Stored subtrees are exactly the complete ones: 300 leaves have 300 - popcount(300) = 296.
        Assert.Equal(296L, t.Scalar("SELECT count(*) FROM audit_nodes"));
        t.Log.Checkpoint();
        var report = t.Log.Verify();
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(300, report.Counts.Entries);
        Assert.Equal(296, report.Counts.Nodes);
    }

    [Fact]
    public void Batch_append_equals_single_appends()
    {
        using var a = new AuditTestLog();
        using var b = new AuditTestLog();
        var events = Enumerable.Range(0, 77).Select(AuditTestLog.Event).ToList();
        foreach (var e in events)
        {
            a.Log.Append(e);
        }
        Assert.Equal(0, b.Log.AppendBatch(events.Take(30).ToList()));
        Assert.Equal(30, b.Log.AppendBatch(events.Skip(30).ToList()));
        Assert.Equal(a.Log.RootAt(77), b.Log.RootAt(77));
        Assert.True(b.Log.Verify().Ok);
    }

    [Fact]
    public void Append_joins_the_callers_transaction()
    {
        using var t = new AuditTestLog();
        t.Log.Append(AuditTestLog.Event(0));
        using (var tx = t.Connection.BeginTransaction())
        {
            Assert.Equal(1, t.Log.Append(AuditTestLog.Event(1), tx));
            Assert.Equal(2, t.Log.Append(AuditTestLog.Event(2), tx));
            tx.Rollback();
        }
        Assert.Equal(1, t.Log.Size());
        Assert.Equal(0L, t.Scalar("SELECT count(*) FROM audit_nodes"));
        using (var tx = t.Connection.BeginTransaction())
        {
            Assert.Equal(1, t.Log.Append(AuditTestLog.Event(9), tx));
            tx.Commit();
        }
        Assert.Equal("setting-9", t.Log.GetEntry(1).Event.Subject);
        Assert.True(t.Log.Verify().Ok);
    }

    [Fact]
    public void Database_refuses_updates_deletes_and_gaps()
    {
        using var t = new AuditTestLog();
        t.AppendMany(4);
        t.Log.Checkpoint();
        foreach (var sql in new[]
        {
            "UPDATE audit_entries SET time_ms = 0 WHERE idx = 1",
            "DELETE FROM audit_entries WHERE idx = 3",
            "UPDATE audit_nodes SET hash = zeroblob(32)",
            "DELETE FROM audit_nodes",
            "UPDATE audit_checkpoints SET note = 'x'",
            "DELETE FROM audit_checkpoints",
            "INSERT INTO audit_entries (idx, time_ms, entry, leaf_hash) VALUES (9, 0, x'00', zeroblob(32))",
        })
        {
            var ex = Assert.Throws<SqliteException>(() => t.Exec(sql));
            Assert.Contains("audit_", ex.Message, StringComparison.Ordinal);
        }
        Assert.True(t.Log.Verify().Ok);
    }

    [Fact]
    public void Times_come_from_the_clock_never_go_back_and_entries_since_bisects()
    {
        using var t = new AuditTestLog();
        var start = t.Time.Now;
        t.AppendMany(10); // 10 ms apart
        t.Time.Now = start - TimeSpan.FromHours(1); // clock jumps back
        var late = t.Log.Append(AuditTestLog.Event(10));
        Assert.Equal(t.Log.GetEntry(9).TimeMs, t.Log.GetEntry(late).TimeMs);
        var since = t.Log.EntriesSince(start + TimeSpan.FromMilliseconds(50));
        Assert.Equal(5, since[0].Index);
        Assert.Equal(6, since.Count);
        Assert.Empty(t.Log.EntriesSince(start + TimeSpan.FromDays(1)));
        Assert.Equal(11, t.Log.EntriesSince(DateTimeOffset.UnixEpoch).Count);
    }

    [Fact]
    public void Checkpoint_policy_follows_the_clock()
    {
        using var t = new AuditTestLog();
        Assert.Null(t.Log.CheckpointIfDue()); // nothing logged yet
        t.Log.Append(AuditTestLog.Event(0));
        var first = t.Log.CheckpointIfDue();
        Assert.NotNull(first); // no checkpoint yet: due at once
        Assert.Equal(1, first.Size);

        t.Log.Append(AuditTestLog.Event(1));
        t.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(t.Log.CheckpointIfDue());
        t.Time.Advance(TimeSpan.FromSeconds(1));
        var second = t.Log.CheckpointIfDue(t.Time);
        Assert.NotNull(second);
        Assert.Equal(2, second.Size);

        t.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(t.Log.CheckpointIfDue()); // old, but nothing new arrived

        t.Log.Append(AuditTestLog.Event(2));
        var forced = t.Log.Checkpoint(); // disclosure: immediately
        Assert.Equal(3, forced.Size);
        Assert.Equal(forced.Id, t.Log.Checkpoint().Id); // nothing new: the same checkpoint
        Assert.Equal(3L, t.Scalar("SELECT count(*) FROM audit_checkpoints"));

        var text = forced.Note;
        Assert.StartsWith($"{AuditTestLog.Origin}\n3\n{Convert.ToBase64String(t.Log.RootAt(3))}\n\n\u2014 {AuditTestLog.Origin} ", text, StringComparison.Ordinal);
        Assert.NotNull(SignedCheckpoint.TryOpen(text, NoteVerifier.Parse(t.Log.VerifierKey), null, out _));
        Assert.True(t.Log.Verify().Ok);
    }

    [Fact]
    public void Owners_co_sign_checkpoints()
    {
        using var t = new AuditTestLog();
        t.AppendMany(5);
        var cp = t.Log.Checkpoint();
        using var alice = NoteSigner.Generate("owner-alice");
        using var bob = NoteSigner.Generate("owner-bob");
        t.Log.CoSign(cp.Id, alice);
        var both = t.Log.CoSign(cp.Id, bob);
        Assert.Equal(both.Note, t.Log.LatestCheckpoint()!.Note);
        var opened = SignedNote.Open(both.Note, [t.Log.Verifier, alice.Verifier, bob.Verifier]);
        Assert.True(opened.Ok, opened.Error);
        Assert.Equal(3, opened.Verified.Count);
        Assert.NotNull(SignedCheckpoint.TryOpen(both.Note, t.Log.Verifier, [alice.Verifier], out _)); // bob unknown: ignored
        Assert.Equal(both.Note, t.Log.CoSign(cp.Id, alice).Note); // idempotent

        var report = t.Log.Verify(new AuditVerifyOptions { TrustedCosigners = [alice.Verifier, bob.Verifier] });
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(2, report.Counts.Cosignatures);
        var strict = t.Log.Verify(new AuditVerifyOptions { TrustedCosigners = [alice.Verifier] });
        Assert.Equal(AuditProblemKind.CosignatureInvalid, strict.FirstProblem?.Kind);

        // A forged co-signature line (bob's name and key, alice's signature bytes) is caught.
        var aliceLine = SignedNote.Split(both.Note).Signatures.Single(s => s.Name == "owner-alice");
        using var eve = NoteSigner.Generate("owner-eve");
        var cp2 = t.Log.Checkpoint();
        t.Exec("INSERT INTO audit_cosignatures (checkpoint_id, verifier_key, signature_line, created_ms) VALUES ($c, $k, $l, 0)",
            ("$c", cp.Id), ("$k", eve.Verifier.VerifierKey), ("$l", "\u2014 owner-eve " + aliceLine.Base64));
        Assert.Equal(AuditProblemKind.CosignatureInvalid, t.Log.Verify().FirstProblem?.Kind);
        Assert.Equal(cp.Id, cp2.Id);
    }

    [Fact]
    public void Owners_co_sign_offline_and_bad_lines_are_refused()
    {
        using var t = new AuditTestLog();
        t.AppendMany(3);
        var cp = t.Log.Checkpoint();
        using var carol = NoteSigner.Generate("owner-carol");
        using var mallory = NoteSigner.Generate("owner-mallory");
        // Carol signs the checkpoint text on her own device and hands back only her line.
        var carolLine = SignedNote.AddSignature(cp.Note, carol)[cp.Note.Length..];
        var malloryLine = SignedNote.AddSignature(cp.Note, mallory)[cp.Note.Length..];
        Assert.Null(t.Log.AddCosignature(cp.Id, carol.Verifier, malloryLine));
        Assert.Null(t.Log.AddCosignature(cp.Id, carol.Verifier, carolLine.Replace(carolLine[^6..^1], "AAAAA", StringComparison.Ordinal)));
        Assert.Equal(0L, t.Scalar("SELECT count(*) FROM audit_cosignatures"));
        var signed = t.Log.AddCosignature(cp.Id, carol.Verifier, carolLine);
        Assert.NotNull(signed);
        Assert.Equal(2, SignedNote.Open(signed.Note, [t.Log.Verifier, carol.Verifier]).Verified.Count);
        Assert.True(t.Log.Verify(new AuditVerifyOptions { TrustedCosigners = [carol.Verifier] }).Ok);
    }

    [Fact]
    public void Tlog_proof_round_trip()
    {
        using var t = new AuditTestLog();
        t.AppendMany(21);
        var proof = t.Log.Prove(13, Encoding.UTF8.GetBytes("clip 13"));
        var text = proof.ToText();
        Assert.StartsWith("c2sp.org/tlog-proof@v1\nextra Y2xpcCAxMw==\nindex 13\n", text, StringComparison.Ordinal);
        Assert.Contains($"\n\n{AuditTestLog.Origin}\n21\n", text, StringComparison.Ordinal);

        var parsed = TlogProof.TryParse(text, out var error);
        Assert.NotNull(parsed);
        Assert.Null(error);
        Assert.Equal(text, parsed.ToText());
        var entry = t.Log.GetEntry(13);
        var verifier = NoteVerifier.Parse(t.Log.VerifierKey);
        Assert.True(parsed.VerifyEntry(entry.CanonicalBytes.Span, verifier, AuditTestLog.Origin, out error), error);
        Assert.False(parsed.VerifyEntry(t.Log.GetEntry(12).CanonicalBytes.Span, verifier, AuditTestLog.Origin, out error));
        Assert.False(parsed.Verify(entry.LeafHash.Span, verifier, "other.origin", out _));
        using var other = NoteSigner.Generate(AuditTestLog.Origin);
        Assert.False(parsed.Verify(entry.LeafHash.Span, other.Verifier, null, out _));
        var lines = text.Split('\n');
        lines[3] = Convert.ToBase64String(new byte[32]);
        var tampered = TlogProof.TryParse(string.Join('\n', lines), out _);
        Assert.False(tampered!.Verify(entry.LeafHash.Span, verifier, null, out _));

        // Without extra, and for the first leaf of a one-leaf log (empty path).
        using var one = new AuditTestLog();
        one.AppendMany(1);
        var p0 = TlogProof.TryParse(one.Log.Prove(0).ToText(), out _)!;
        Assert.Empty(p0.InclusionPath);
        Assert.True(p0.VerifyEntry(one.Log.GetEntry(0).CanonicalBytes.Span, one.Log.Verifier, AuditTestLog.Origin, out error), error);
        Assert.Null(TlogProof.TryParse("c2sp.org/tlog-proof@v1\nindex 01\n\nx\n", out _));
    }

    [Theory]
    [InlineData("origin", "tlog-proof checkpoint lacks its origin, tree size or root hash line")]
    [InlineData("note", "tlog-proof checkpoint is not a signed note: note has no blank line before its signatures")]
    [InlineData("index", "tlog-proof index 21 is outside its checkpoint's tree of 21")]
    public void Tlog_proof_parsing_requires_a_whole_checkpoint_with_its_origin_line(string damage, string message)
    {
        using var t = new AuditTestLog();
        t.AppendMany(21);
        var text = t.Log.Prove(13).ToText();
        var broken = damage switch
        {
            // The checkpoint's first line (its origin) removed: size and root alone are not a checkpoint.
            "origin" => text.Replace($"\n\n{AuditTestLog.Origin}\n", "\n\n", StringComparison.Ordinal),
            // Only the checkpoint text, its signatures cut off.
            "note" => text[..(text.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)],
            _ => text.Replace("\nindex 13\n", "\nindex 21\n", StringComparison.Ordinal),
        };
        Assert.NotEqual(text, broken);

        Assert.Null(TlogProof.TryParse(broken, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Consistency_against_an_old_checkpoint_and_a_forked_one()
    {
        using var t = new AuditTestLog();
        t.AppendMany(10);
        var old = t.Log.Checkpoint().Note;
        t.AppendMany(23);
        var result = t.Log.CheckConsistency(old);
        Assert.True(result.Ok, result.Message);
        Assert.Equal(33, result.Current!.Size);
        Assert.True(MerkleProofs.VerifyConsistency(10, 33, result.Proof, result.Old!.Checkpoint.RootHash.Span, result.Current.Checkpoint.RootHash.Span));
        Assert.StartsWith("homevault/consistency-proof@v1\nold 10\nnew 33\n", result.ToText(), StringComparison.Ordinal);

        // Same key, different history: a fork.
        using var fork = new AuditTestLog();
        var forkLog = new AuditLog(fork.Connection, t.Key, AuditTestLog.Origin, fork.Time);
        for (var i = 0; i < 12; i++)
        {
            forkLog.Append(new AuditEvent("attacker", AuditActions.ConfigChanged, $"other-{i}"));
        }
        var forked = forkLog.Checkpoint().Note;
        var answer = t.Log.CheckConsistency(forked);
        Assert.Equal(ConsistencyStatus.DoesNotExtend, answer.Status);
        Assert.Contains("fork", answer.Message, StringComparison.Ordinal);

        // A checkpoint larger than the log: entries were removed.
        for (var i = 0; i < 40; i++)
        {
            forkLog.Append(new AuditEvent("attacker", AuditActions.ConfigChanged, $"more-{i}"));
        }
        Assert.Equal(ConsistencyStatus.DoesNotExtend, t.Log.CheckConsistency(forkLog.Checkpoint().Note).Status);

        // Not ours, malformed, or another origin.
        using var stranger = new AuditTestLog();
        stranger.AppendMany(3);
        Assert.Equal(ConsistencyStatus.Unverifiable, t.Log.CheckConsistency(stranger.Log.Checkpoint().Note).Status);
        Assert.Equal(ConsistencyStatus.Unverifiable, t.Log.CheckConsistency(old.Replace("\n10\n", "\n9\n", StringComparison.Ordinal)).Status);
        var otherOrigin = SignedNote.Sign(new Checkpoint("elsewhere", 1, t.Log.RootAt(1)).ToText(), t.Key);
        Assert.Equal(ConsistencyStatus.WrongOrigin, t.Log.CheckConsistency(otherOrigin).Status);
        Assert.Equal(ConsistencyStatus.Consistent, t.Log.CheckConsistency(t.Log.LatestCheckpoint()!.Note).Status);
    }
}
