namespace HomeVault.Core.Clips;

/// <summary>Where one fragment of a clip ends: the plaintext offset just after it, and its media end (Unix epoch milliseconds).</summary>
internal readonly record struct FragmentEnd(long PlaintextEnd, long EndMs);
