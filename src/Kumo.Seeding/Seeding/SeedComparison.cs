using System.Net;
using System.Text.Json;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>How the seeder decides that what the engine holds already matches the plan (so nothing is written).</summary>
internal static class SeedComparison
{
    private const string MetadataHeaderPrefix = "x-amz-meta-";

    internal static bool IsMissingQueue(AmazonSQSException e) =>
        e is QueueDoesNotExistException
        || e.ErrorCode is "AWS.SimpleQueueService.NonExistentQueue" or "QueueDoesNotExist" or "NonExistentQueue"
        || (e.StatusCode == HttpStatusCode.BadRequest && e.ErrorCode?.Contains("NonExistentQueue", StringComparison.Ordinal) == true);

    internal static bool IsFifo(Dictionary<string, string> attributes) =>
        attributes.TryGetValue(SqsQueueAttributeRules.FifoQueue, out string? fifo) && string.Equals(fifo, "true", StringComparison.OrdinalIgnoreCase);

    internal static bool AttributeMatches(string name, string desired, Dictionary<string, string> actual)
    {
        if (!actual.TryGetValue(name, out string? value))
        {
            return false;
        }

        if (value == desired)
        {
            return true;
        }

        if (name == SqsQueueAttributeRules.RedrivePolicy)
        {
            return SameRedrivePolicy(desired, value);
        }

        if (bool.TryParse(desired, out bool a) && bool.TryParse(value, out bool b))
        {
            return a == b;
        }

        try
        {
            using var left = JsonDocument.Parse(desired);
            using var right = JsonDocument.Parse(value);
            return left.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array && JsonElement.DeepEquals(left.RootElement, right.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal static bool SameRedrivePolicy(string desired, string actual)
    {
        try
        {
            using var left = JsonDocument.Parse(desired);
            using var right = JsonDocument.Parse(actual);
            return Field(left.RootElement, "deadLetterTargetArn") == Field(right.RootElement, "deadLetterTargetArn")
                && Field(left.RootElement, "maxReceiveCount") == Field(right.RootElement, "maxReceiveCount");
        }
        catch (JsonException)
        {
            return false;
        }

        static string? Field(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value)
                ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
                : null;
    }

    internal static bool SameBytes(string? etag, long? size, string md5Hex, long length) =>
        etag is not null && string.Equals(etag.Trim('"'), md5Hex, StringComparison.OrdinalIgnoreCase) && (size is null || size == length);

    internal static bool SameMetadata(MetadataCollection actual, IReadOnlyDictionary<string, string> desired)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string key in actual.Keys)
        {
            string name = key.StartsWith(MetadataHeaderPrefix, StringComparison.OrdinalIgnoreCase) ? key[MetadataHeaderPrefix.Length..] : key;
            found[name.ToLowerInvariant()] = actual[key];
        }

        return found.Count == desired.Count && desired.All(d => found.TryGetValue(d.Key, out string? value) && value == d.Value);
    }
}
