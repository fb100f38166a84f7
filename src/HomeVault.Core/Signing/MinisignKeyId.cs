using System.Buffers.Binary;

namespace HomeVault.Core.Signing;

/// <summary>
/// The 8-byte key id minisign puts in keys and signatures. Shown the way minisign shows it: the bytes read
/// as a little-endian integer, in 16 upper-case hex digits (the "minisign public key XXXX" comment).
/// </summary>
public readonly record struct MinisignKeyId(ulong Value)
{
    public const int Size = 8;

    public static MinisignKeyId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"a minisign key id is {Size} bytes, got {bytes.Length}", nameof(bytes));
        }
        return new MinisignKeyId(BinaryPrimitives.ReadUInt64LittleEndian(bytes));
    }

    public void CopyTo(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, Value);

    public override string ToString() => Value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture);
}
