using System.Globalization;

namespace Kumo.Seeding;

/// <summary>Configures a queue of a <see cref="SeedPlanBuilder"/>.</summary>
/// <remarks>
/// Mirrors a queue entry of the JSON manifest: <see cref="Fifo"/> is <c>"fifo"</c>,
/// <see cref="Attribute"/> adds to <c>"attributes"</c>, <see cref="DeadLetter"/> is <c>"redrive"</c>,
/// <see cref="Message"/> adds to <c>"messages"</c>, and <see cref="ReplaceMessages"/> is
/// <c>"replaceMessages"</c>.
/// </remarks>
/// <example>
/// <code>
/// builder.Queue("jobs-{worker}.fifo", q => q.Fifo().Attribute("ContentBasedDeduplication", "true").Message("a", m => m.GroupId("g1")));
/// </code>
/// </example>
public sealed class QueueSeedBuilder
{
    private readonly Dictionary<string, string> _attributes = new(StringComparer.Ordinal);
    private readonly List<(string Body, MessageSeedBuilder Builder)> _messages = [];
    private bool _fifo;
    private bool _replaceMessages;
    private (string QueueName, int MaxReceiveCount)? _deadLetter;

    internal QueueSeedBuilder()
    {
    }

    /// <summary>Makes the queue FIFO (its name must end in <c>.fifo</c>).</summary>
    /// <param name="fifo">Whether the queue is FIFO.</param>
    /// <returns>This builder.</returns>
    public QueueSeedBuilder Fifo(bool fifo = true)
    {
        _fifo = fifo;
        return this;
    }

    /// <summary>Sets an SQS queue attribute, e.g. <c>VisibilityTimeout</c>; a later call for the same name wins.</summary>
    /// <param name="name">The attribute name (case-sensitive).</param>
    /// <param name="value">The value as SQS expects it, e.g. <c>30</c> or <c>true</c>.</param>
    /// <returns>This builder.</returns>
    public QueueSeedBuilder Attribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        _attributes[name] = value;
        return this;
    }

    /// <summary>Sets the redrive policy: after <paramref name="maxReceiveCount"/> receives a message moves to <paramref name="queueName"/>.</summary>
    /// <param name="queueName">Another queue of the same plan (placeholders included, written the same way).</param>
    /// <param name="maxReceiveCount">1 to 1000.</param>
    /// <returns>This builder.</returns>
    public QueueSeedBuilder DeadLetter(string queueName, int maxReceiveCount)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        _deadLetter = (queueName, maxReceiveCount);
        return this;
    }

    /// <summary>Adds an initial message (sent in the order added).</summary>
    /// <param name="body">The body.</param>
    /// <param name="configure">Sets the FIFO group and deduplication ids and message attributes.</param>
    /// <returns>This builder.</returns>
    public QueueSeedBuilder Message(string body, Action<MessageSeedBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var builder = new MessageSeedBuilder();
        configure?.Invoke(builder);
        _messages.Add((body, builder));
        return this;
    }

    /// <summary>Purges the queue and sends the messages again on every seed run, even when the queue already exists.</summary>
    /// <param name="replace">Whether to replace messages.</param>
    /// <returns>This builder.</returns>
    public QueueSeedBuilder ReplaceMessages(bool replace = true)
    {
        _replaceMessages = replace;
        return this;
    }

    internal QueueSeed Create(string name, string pointer)
    {
        var messages = new List<MessageSeed>(_messages.Count);
        for (int i = 0; i < _messages.Count; i++)
        {
            messages.Add(_messages[i].Builder.Create(_messages[i].Body, pointer + "/messages/" + i.ToString(CultureInfo.InvariantCulture)));
        }

        DeadLetterSeed? deadLetter = _deadLetter is { } d ? new DeadLetterSeed(d.QueueName, d.MaxReceiveCount, new SeedLocation(pointer + "/redrive", null)) : null;
        return new QueueSeed(name, _fifo, new Dictionary<string, string>(_attributes, StringComparer.Ordinal), deadLetter, messages, _replaceMessages, new SeedLocation(pointer, null));
    }
}
