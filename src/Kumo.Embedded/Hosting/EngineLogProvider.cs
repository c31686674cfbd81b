using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Hosting;

/// <summary>
/// The engine's logger: formats each entry once as a single line, keeps the last lines in memory
/// (so an in-process engine can hand them to a failure artifact the way a process engine hands
/// over its stdout), and, when the engine runs as a process, echoes them to stdout.
/// </summary>
/// <remarks>
/// The engine logs little, so a synchronous writer is enough; it avoids the console logger's
/// background processor and options machinery, which showed up in cold-start time.
/// </remarks>
internal sealed class EngineLogProvider : ILoggerProvider
{
    private readonly Queue<string> _lines = new();
    private readonly int _capacity;
    private readonly LogLevel _minimum;
    private readonly TimeProvider _time;
    private readonly TextWriter? _echo;

    public EngineLogProvider(int capacity, LogLevel minimum, TimeProvider time, TextWriter? echo)
    {
        _capacity = capacity;
        _minimum = minimum;
        _time = time;
        _echo = echo;
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Append(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == _capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
            _echo?.WriteLine(line);
        }
    }

    private sealed class Logger(EngineLogProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string time = owner._time.GetUtcNow().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            string line = $"{time} {logLevel.ToString().ToUpperInvariant()[..4]} {category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += " | " + exception.GetType().Name + ": " + exception.Message;
            }

            owner.Append(line);
        }
    }
}
