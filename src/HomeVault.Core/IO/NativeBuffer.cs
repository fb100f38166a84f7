using System.Buffers;
using System.Runtime.InteropServices;

namespace HomeVault.Core.IO;

/// <summary>
/// A block of memory outside the garbage-collected heap, for a long-lived buffer whose size follows a stream (a camera's
/// frames): a managed array of that size lives on the large object heap, where an outgrown one waits for a full
/// collection and its pages stay with the process; this one goes back to the system when disposed. Its bytes are zeroed
/// first (they may be footage). Memory handed out from it is valid until it is disposed: the owner decides when nobody
/// reads it any more, and must dispose it (no finalizer: one could free the block under a span still in use, CA2015).
/// </summary>
public sealed unsafe class NativeBuffer : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    public NativeBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        _pointer = (byte*)NativeMemory.Alloc((nuint)length);
        _length = length;
    }

    public int Length => _length;

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        return new Span<byte>(_pointer, _length);
    }

    public Span<byte> Span(int start, int length) => GetSpan().Slice(start, length);

    public Memory<byte> Slice(int start, int length) => Memory.Slice(start, length);

    /// <summary>Nothing to pin: the block never moves.</summary>
    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ObjectDisposedException.ThrowIf(_pointer is null, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)elementIndex, (uint)_length, nameof(elementIndex));
        return new MemoryHandle(_pointer + elementIndex);
    }

    public override void Unpin()
    {
    }

    /// <summary>Zeroes and frees the block (<see cref="MemoryManager{T}"/> implements <see cref="IDisposable"/> explicitly).</summary>
    public void Free() => ((IDisposable)this).Dispose();

    protected override void Dispose(bool disposing)
    {
        if (_pointer is null)
        {
            return;
        }
        NativeMemory.Clear(_pointer, (nuint)_length);
        NativeMemory.Free(_pointer);
        _pointer = null;
        _length = 0;
    }
}
