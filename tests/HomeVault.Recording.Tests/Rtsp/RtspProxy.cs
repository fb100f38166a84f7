using System.Net;
using System.Net.Sockets;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// A TCP proxy on loopback in front of an RTSP server, for the tests that damage what passes: it accepts each client,
/// connects it to the server and hands both streams to <see cref="Connected"/>, which starts the copying; every task
/// started is <see cref="Track"/>ed and awaited when the proxy is disposed.
/// </summary>
internal abstract class RtspProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Task> _tasks = [];

    protected RtspProxy(int targetPort)
    {
        _targetPort = targetPort;
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>The camera URL through the proxy.</summary>
    public string Rewrite(string url) => url.Replace($":{_targetPort}/", $":{Port}/", StringComparison.Ordinal);

    /// <summary>Starts listening; a subclass calls it last in its constructor, once its own fields are set.</summary>
    protected void Start()
    {
        _listener.Start();
        Track(AcceptAsync());
    }

    /// <summary>A client connected and its server connection is open: start both directions (and <see cref="Track"/> them).</summary>
    protected abstract void Connected(Stream client, Stream server, CancellationToken ct);

    /// <summary>What the subclass holds besides its tasks, released when the proxy stops.</summary>
    protected virtual void Stopping()
    {
    }

    protected void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.Add(task);
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!Stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(Stop.Token);
                var server = new TcpClient();
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, Stop.Token);
                Connected(client.GetStream(), server.GetStream(), Stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stop.CancelAsync();
        _listener.Stop();
        Stopping();
        Task[] tasks;
        lock (_tasks)
        {
            tasks = [.. _tasks];
        }
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        Stop.Dispose();
    }
}
