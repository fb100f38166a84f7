using System.Buffers;
using System.Security.Cryptography;

namespace HomeVault.Core.Vault;

/// <summary>
/// Stream copies for plaintext. Stream.CopyTo rents its buffer from the shared pool and returns it uncleared, so
/// footage or key material would linger in memory any later renter can read; these clear the buffer first.
/// </summary>
internal static class PlaintextCopy
{
    public static void Copy(Stream source, Stream destination, int bufferSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            int n;
            while ((n = source.Read(buffer, 0, bufferSize)) > 0)
            {
                destination.Write(buffer, 0, n);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static async Task CopyAsync(Stream source, Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer.AsMemory(0, bufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
