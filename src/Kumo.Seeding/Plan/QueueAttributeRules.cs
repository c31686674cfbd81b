using System.Globalization;
using System.Text.Json;

namespace Kumo.Seeding;

/// <summary>The SQS queue attributes a seed plan may set, and their value rules.</summary>
internal static class QueueAttributeRules
{
    public const string FifoQueue = "FifoQueue";
    public const string RedrivePolicy = "RedrivePolicy";
    public const string ContentBasedDeduplication = "ContentBasedDeduplication";
    public const string QueueArn = "QueueArn";

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.Ordinal)
    {
        ["DelaySeconds"] = Rule.Integer(0, 900),
        ["MaximumMessageSize"] = Rule.Integer(1024, 1048576),
        ["MessageRetentionPeriod"] = Rule.Integer(60, 1209600),
        ["ReceiveMessageWaitTimeSeconds"] = Rule.Integer(0, 20),
        ["VisibilityTimeout"] = Rule.Integer(0, 43200),
        ["KmsDataKeyReusePeriodSeconds"] = Rule.Integer(60, 86400),
        ["KmsMasterKeyId"] = new Rule(RuleKind.Text, 0, 0, [], false),
        ["SqsManagedSseEnabled"] = new Rule(RuleKind.Boolean, 0, 0, [], false),
        ["Policy"] = new Rule(RuleKind.Json, 0, 0, [], false),
        ["RedriveAllowPolicy"] = new Rule(RuleKind.Json, 0, 0, [], false),
        [ContentBasedDeduplication] = new Rule(RuleKind.Boolean, 0, 0, [], true),
        ["DeduplicationScope"] = new Rule(RuleKind.Choice, 0, 0, ["messageGroup", "queue"], true),
        ["FifoThroughputLimit"] = new Rule(RuleKind.Choice, 0, 0, ["perQueue", "perMessageGroupId"], true),
    };

    /// <summary>The attribute names a plan may set.</summary>
    public static IEnumerable<string> Names => Rules.Keys;

    /// <summary>Checks one attribute; returns (problem, fix) or null when it is valid.</summary>
    public static (string Problem, string Fix)? Check(string name, string value, bool fifo)
    {
        if (name == FifoQueue)
        {
            return ("the FifoQueue attribute is set through the queue's \"fifo\" field.", "remove \"FifoQueue\" from \"attributes\" and set \"fifo\": true on the queue (its name must end in '.fifo').");
        }

        if (name == RedrivePolicy)
        {
            return ("the RedrivePolicy attribute is set through the queue's \"redrive\" field.", "remove \"RedrivePolicy\" from \"attributes\" and add \"redrive\": { \"deadLetterQueue\": \"<queue name>\", \"maxReceiveCount\": 3 }.");
        }

        if (!Rules.TryGetValue(name, out Rule? rule))
        {
            string? nearest = Spelling.Nearest(name, Rules.Keys);
            return ($"'{name}' is not an SQS queue attribute that can be seeded.",
                nearest is not null
                    ? $"did you mean '{nearest}'? Attribute names are case-sensitive."
                    : $"use one of: {string.Join(", ", Rules.Keys)}.");
        }

        if (rule.FifoOnly && !fifo)
        {
            return ($"'{name}' applies only to FIFO queues.", $"remove '{name}', or make the queue FIFO (\"fifo\": true and a name ending in '.fifo').");
        }

        switch (rule.Kind)
        {
            case RuleKind.Integer:
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number < rule.Min || number > rule.Max)
                {
                    return ($"'{name}' is '{value}'; it must be a whole number from {rule.Min} to {rule.Max}.", $"set '{name}' to a whole number from {rule.Min} to {rule.Max}.");
                }

                break;
            case RuleKind.Boolean:
                if (value is not ("true" or "false"))
                {
                    return ($"'{name}' is '{value}'; it must be true or false.", $"set '{name}' to true or false (lower-case).");
                }

                break;
            case RuleKind.Choice:
                if (Array.IndexOf(rule.Choices, value) < 0)
                {
                    return ($"'{name}' is '{value}'; it must be one of {string.Join(", ", rule.Choices)}.", $"set '{name}' to one of: {string.Join(", ", rule.Choices)} (case-sensitive).");
                }

                break;
            case RuleKind.Json:
                try
                {
                    using var document = JsonDocument.Parse(value);
                }
                catch (JsonException e)
                {
                    return ($"'{name}' is not valid JSON ({e.Message}).", $"write '{name}' as a JSON document in a string.");
                }

                break;
            default:
                if (value.Length == 0)
                {
                    return ($"'{name}' is empty.", $"set '{name}' to a value or remove it.");
                }

                break;
        }

        return null;
    }

    private enum RuleKind
    {
        Integer,
        Boolean,
        Choice,
        Json,
        Text,
    }

    private sealed record Rule(RuleKind Kind, long Min, long Max, string[] Choices, bool FifoOnly)
    {
        public static Rule Integer(long min, long max) => new(RuleKind.Integer, min, max, [], false);
    }
}
