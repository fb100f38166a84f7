using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HomeVault.Cli.Tests.Recording;

/// <summary>A real HTTP endpoint on loopback that keeps every webhook body it is sent.</summary>
internal sealed class HookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public HookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook/";
        }
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ReceiveAsync);
    }

    public string Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    private async Task ReceiveAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                Bodies.Enqueue(await reader.ReadToEndAsync());
            }
            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
