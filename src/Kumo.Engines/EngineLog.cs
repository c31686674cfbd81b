using System.Text;

namespace Kumo.Engines;

/// <summary>
/// The output of an engine process: each line is appended to a file as it arrives and kept in a
/// bounded in-memory ring for error messages.
/// </summary>
internal sealed class EngineLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string[] _ring;
    private readonly StreamWriter _writer;
    private long _count;
    private bool _disposed;

    public EngineLog(string path, int capacity)
    {
        Path = System.IO.Path.GetFullPath(path);
        _ring = new string[capacity];
        string? directory = System.IO.Path.GetDirectoryName(Path);
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }

    /// <summary>The full path of the log file.</summary>
    public string Path { get; }

    /// <summary>Appends one line (to the ring and the file).</summary>
    /// <param name="line">The line, without its terminator.</param>
    public void Append(string line)
    {
        lock (_gate)
        {
            _ring[_count % _ring.Length] = line;
            _count++;
            if (_disposed)
            {
                return;
            }

            try
            {
                _writer.WriteLine(line);
            }
            catch (IOException)
            {
                // A full disk must not take the engine's output pipe down; the ring still has it.
            }
        }
    }

    /// <summary>Returns up to the last <paramref name="lines"/> lines, oldest first.</summary>
    /// <param name="lines">How many lines at most.</param>
    /// <returns>The lines.</returns>
    public IReadOnlyList<string> Tail(int lines)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lines);
        lock (_gate)
        {
            long available = Math.Min(_count, _ring.Length);
            int take = (int)Math.Min(available, lines);
            var result = new string[take];
            for (int i = 0; i < take; i++)
            {
                result[i] = _ring[(_count - take + i) % _ring.Length];
            }

            return result;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer.Dispose();
        }
    }
}
