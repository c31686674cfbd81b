namespace Kumo.Testing;

/// <summary>A queue in a <see cref="KumoStateDump"/>.</summary>
/// <param name="Name">The queue name.</param>
/// <param name="Url">The queue URL as the engine reports it.</param>
/// <param name="Attributes">All attributes, sorted by name.</param>
/// <param name="ApproximateNumberOfMessages">Visible messages.</param>
/// <param name="ApproximateNumberOfMessagesNotVisible">In-flight messages.</param>
/// <param name="ApproximateNumberOfMessagesDelayed">Delayed messages.</param>
public sealed record QueueState(
    string Name,
    string Url,
    IReadOnlyDictionary<string, string> Attributes,
    long? ApproximateNumberOfMessages,
    long? ApproximateNumberOfMessagesNotVisible,
    long? ApproximateNumberOfMessagesDelayed);
