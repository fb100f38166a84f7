using System.Globalization;
using System.Text;

namespace HomeVault.Core.Audit;

public enum ConsistencyStatus
{
    /// <summary>The current log extends the old checkpoint; <see cref="ConsistencyResult.Proof"/> shows it.</summary>
    Consistent,

    /// <summary>The current log does not contain the old checkpoint's tree: entries were removed or rewritten (a fork).</summary>
    DoesNotExtend,

    /// <summary>The old checkpoint is malformed or not signed by this log's key; nothing can be said.</summary>
    Unverifiable,

    /// <summary>The old checkpoint belongs to another log (origin differs).</summary>
    WrongOrigin,
}

/// <summary>The answer to "does the log still contain the tree I was shown back then?".</summary>
public sealed class ConsistencyResult
{
    internal ConsistencyResult(ConsistencyStatus status, string message, SignedCheckpoint? old, SignedCheckpoint? current, IReadOnlyList<byte[]> proof)
    {
        Status = status;
        Message = message;
        Old = old;
        Current = current;
        Proof = proof;
    }

    public ConsistencyStatus Status { get; }

    public bool Ok => Status == ConsistencyStatus.Consistent;

    /// <summary>One line for a person: what was checked and what was found.</summary>
    public string Message { get; }

    public SignedCheckpoint? Old { get; }

    public SignedCheckpoint? Current { get; }

    /// <summary>RFC 6962 consistency proof from Old.Size to Current.Size (empty unless consistent).</summary>
    public IReadOnlyList<byte[]> Proof { get; }

    /// <summary>
    /// Text form for a consistency proof: "homevault/consistency-proof@v1", "old N", "new M", the
    /// proof hashes in base64 one per line, an empty line, then the current signed checkpoint. It
    /// mirrors C2SP tlog-proof; C2SP defines no text form for consistency proofs.
    /// </summary>
    public string ToText()
    {
        if (!Ok)
        {
            return Message + "\n";
        }
        var sb = new StringBuilder("homevault/consistency-proof@v1\n")
            .Append("old ").Append(Old!.Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("new ").Append(Current!.Size.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var h in Proof)
        {
            sb.Append(Convert.ToBase64String(h)).Append('\n');
        }
        return sb.Append('\n').Append(Current.Note).ToString();
    }
}
