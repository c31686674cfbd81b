using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>
/// What a seed plan may set as SQS queue attributes: the contract's <see cref="SqsQueueAttributeRules"/>, with
/// problems and fixes worded for the manifest.
/// </summary>
internal static class QueueAttributeRules
{
    /// <summary>Checks one attribute; returns (problem, fix) or null when it is valid.</summary>
    public static (string Problem, string Fix)? Check(string name, string value, bool fifo)
    {
        if (name == SqsQueueAttributeRules.FifoQueue)
        {
            return ("the FifoQueue attribute is set through the queue's \"fifo\" field.", "remove \"FifoQueue\" from \"attributes\" and set \"fifo\": true on the queue (its name must end in '.fifo').");
        }

        if (name == SqsQueueAttributeRules.RedrivePolicy)
        {
            return ("the RedrivePolicy attribute is set through the queue's \"redrive\" field.", "remove \"RedrivePolicy\" from \"attributes\" and add \"redrive\": { \"deadLetterQueue\": \"<queue name>\", \"maxReceiveCount\": 3 }.");
        }

        if (SqsQueueAttributeRules.Find(name) is not { } rule)
        {
            string? nearest = Spelling.Nearest(name, SqsQueueAttributeRules.Names);
            return ($"'{name}' is not an SQS queue attribute that can be seeded.",
                nearest is not null
                    ? $"did you mean '{nearest}'? Attribute names are case-sensitive."
                    : $"use one of: {string.Join(", ", SqsQueueAttributeRules.Names)}.");
        }

        if (rule.FifoOnly && !fifo)
        {
            return ($"'{name}' applies only to FIFO queues.", $"remove '{name}', or make the queue FIFO (\"fifo\": true and a name ending in '.fifo').");
        }

        if (rule.Accepts(value, out string? jsonError))
        {
            return null;
        }

        return rule.Kind switch
        {
            SqsAttributeKind.Integer => ($"'{name}' is '{value}'; it must be a whole number from {rule.Min} to {rule.Max}.", $"set '{name}' to a whole number from {rule.Min} to {rule.Max}."),
            SqsAttributeKind.Boolean => ($"'{name}' is '{value}'; it must be true or false.", $"set '{name}' to true or false (lower-case)."),
            SqsAttributeKind.Choice => ($"'{name}' is '{value}'; it must be one of {string.Join(", ", rule.Choices)}.", $"set '{name}' to one of: {string.Join(", ", rule.Choices)} (case-sensitive)."),
            SqsAttributeKind.Json => ($"'{name}' is not valid JSON ({jsonError}).", $"write '{name}' as a JSON document in a string."),
            _ => ($"'{name}' is empty.", $"set '{name}' to a value or remove it."),
        };
    }
}
