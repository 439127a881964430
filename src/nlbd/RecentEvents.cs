using Microsoft.Extensions.Logging;
using OpenNlb.Core.Control;

namespace OpenNlb.Daemon;

/// <summary>
/// The last <see cref="Capacity"/> events nlbd logged at Information or above, for `nlb display`:
/// a logger provider beside the console one, so that every event is kept with its id and the
/// same text, and nothing that logs needs to know. Bounded: the oldest event goes first.
/// </summary>
internal sealed class RecentEvents(TimeProvider time) : ILoggerProvider
{
    public const int Capacity = 50;

    private readonly Queue<LogEvent> _events = new(Capacity);
    private readonly Lock _gate = new();

    public IReadOnlyList<LogEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(this);

    public void Dispose()
    {
    }

    private void Add(LogEvent e)
    {
        lock (_gate)
        {
            if (_events.Count == Capacity)
            {
                _events.Dequeue();
            }

            _events.Enqueue(e);
        }
    }

    private sealed class Recorder(RecentEvents ring) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Debug events (every kernel transaction, every refused datagram) would push out the ones an operator looks for.
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, exception);
            if (exception is not null)
            {
                text += ": " + exception.Message;
            }

            ring.Add(new LogEvent(ring.Now(), eventId.Id, eventId.Name ?? string.Empty, logLevel.ToString().ToLowerInvariant(), text));
        }
    }

    private DateTimeOffset Now() => time.GetUtcNow();
}
