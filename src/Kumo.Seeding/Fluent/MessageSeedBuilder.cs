namespace Kumo.Seeding;

/// <summary>Configures one message of a <see cref="QueueSeedBuilder"/>.</summary>
/// <example>
/// <code>
/// q.Message("order created", m => m.GroupId("orders").DeduplicationId("o-1").Attribute("tenant", "a"));
/// </code>
/// </example>
public sealed class MessageSeedBuilder
{
    private readonly Dictionary<string, MessageAttributeSeed> _attributes = new(StringComparer.Ordinal);
    private string? _groupId;
    private string? _deduplicationId;

    internal MessageSeedBuilder()
    {
    }

    /// <summary>Sets the FIFO message group id (required for FIFO queues).</summary>
    /// <param name="groupId">The group id.</param>
    /// <returns>This builder.</returns>
    public MessageSeedBuilder GroupId(string groupId)
    {
        ArgumentNullException.ThrowIfNull(groupId);
        _groupId = groupId;
        return this;
    }

    /// <summary>Sets the FIFO deduplication id (required unless the queue uses content-based deduplication).</summary>
    /// <param name="deduplicationId">The deduplication id.</param>
    /// <returns>This builder.</returns>
    public MessageSeedBuilder DeduplicationId(string deduplicationId)
    {
        ArgumentNullException.ThrowIfNull(deduplicationId);
        _deduplicationId = deduplicationId;
        return this;
    }

    /// <summary>Adds a message attribute; a later call for the same name wins.</summary>
    /// <param name="name">The attribute name.</param>
    /// <param name="value">The value.</param>
    /// <param name="dataType"><c>String</c> (default) or <c>Number</c>, optionally with a suffix.</param>
    /// <returns>This builder.</returns>
    public MessageSeedBuilder Attribute(string name, string value, string dataType = "String")
    {
        ArgumentNullException.ThrowIfNull(name);
        _attributes[name] = new MessageAttributeSeed(dataType, value);
        return this;
    }

    internal MessageSeed Create(string body, string pointer) =>
        new(body, _groupId, _deduplicationId, new Dictionary<string, MessageAttributeSeed>(_attributes, StringComparer.Ordinal), new SeedLocation(pointer, null));
}
