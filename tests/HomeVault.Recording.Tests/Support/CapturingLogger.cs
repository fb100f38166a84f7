using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HomeVault.Recording.Tests.Support;

/// <summary>Keeps every formatted message (all levels) and exception text, to look for leaked secrets.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
        if (state is IEnumerable<KeyValuePair<string, object?>> props)
        {
            foreach (var kv in props)
            {
                Lines.Enqueue($"  {kv.Key}={kv.Value}");
            }
        }
    }
}
