namespace Kumo.Aspire.Hosting.Commands;

/// <summary>A command cannot do what was asked; the message says why and what to do instead.</summary>
internal sealed class KumoCommandException(string message) : Exception(message);
