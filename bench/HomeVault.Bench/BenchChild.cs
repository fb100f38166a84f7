using System.Diagnostics;

namespace HomeVault.Bench;

/// <summary>A started process whose stdout/stderr are drained into a bounded buffer of recent lines.</summary>
internal sealed class BenchChild
{
    private readonly Process _p;
    private readonly Queue<string> _lines = new();

    private BenchChild(Process p) => _p = p;

    public int Pid => _p.Id;

    public bool HasExited => _p.HasExited;

    public int ExitCode => _p.ExitCode;

    public static BenchChild Start(string file, IEnumerable<string> args, bool stdin)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = stdin, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var p = new Process { StartInfo = psi };
        var c = new BenchChild(p);
        p.OutputDataReceived += (_, e) => c.Keep(e.Data);
        p.ErrorDataReceived += (_, e) => c.Keep(e.Data);
        p.Start();
        BenchChildren.Add(p);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return c;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > 200)
            {
                _lines.Dequeue();
            }
        }
    }

    public List<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    public string Tail() => string.Join(" | ", Lines().TakeLast(3));

    public void SendQuit()
    {
        try
        {
            _p.StandardInput.Write('q');
            _p.StandardInput.Flush();
        }
        catch (IOException)
        {
        }
    }

    public void WaitOrKill(TimeSpan grace)
    {
        if (!_p.WaitForExit(grace))
        {
            Console.WriteLine($"  pid {_p.Id} did not stop within {grace.TotalSeconds:F0} s of 'q'; killing it");
            _p.Kill(entireProcessTree: true);
        }
        _p.WaitForExit();
    }
}
