using System.Buffers;
using System.Runtime.CompilerServices;
using NSec.Cryptography;

namespace HomeVault.Core.Signing;

/// <summary>BLAKE2b-512 prehash of the <c>ED</c> algorithm, over spans or streamed in constant memory.</summary>
internal static class MinisignHash
{
    public const int Size = 64;
    private const int BufferSize = 64 * 1024;

    public static byte[] Hash(ReadOnlySpan<byte> message)
    {
        var hash = new byte[Size];
        HashAlgorithm.Blake2b_512.Hash(message, hash);
        return hash;
    }

    public static byte[] Hash(Stream message)
    {
        IncrementalHash.Initialize(HashAlgorithm.Blake2b_512, out var state);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = message.Read(buffer, 0, BufferSize)) > 0)
            {
                IncrementalHash.Update(ref state, buffer.AsSpan(0, n));
            }
        }
        finally
        {
            // The message may be plaintext (a statement, a manifest, footage): the pool must not keep it.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
        var hash = new byte[Size];
        IncrementalHash.Finalize(ref state, hash);
        return hash;
    }

    public static async Task<byte[]> HashAsync(Stream message, CancellationToken cancellationToken)
    {
        // IncrementalHash is a struct passed by ref, which an async method cannot hold across awaits;
        // a boxed holder keeps one state alive between reads.
        var holder = new StrongBox<IncrementalHash>();
        IncrementalHash.Initialize(HashAlgorithm.Blake2b_512, out holder.Value);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int n;
            while ((n = await message.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                IncrementalHash.Update(ref holder.Value, buffer.AsSpan(0, n));
            }
        }
        finally
        {
            // The message may be plaintext (a statement, a manifest, footage): the pool must not keep it.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
        var hash = new byte[Size];
        IncrementalHash.Finalize(ref holder.Value, hash);
        return hash;
    }
}
