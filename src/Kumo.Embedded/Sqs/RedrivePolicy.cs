using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kumo.Embedded.Sqs;

/// <summary>A queue's <c>RedrivePolicy</c>: where messages go after too many receives.</summary>
internal sealed record RedrivePolicy(string DeadLetterTargetArn, int MaxReceiveCount)
{
    /// <summary>The name of the dead-letter queue (the last ARN field).</summary>
    public string TargetName => QueueNames.FromArn(DeadLetterTargetArn)!;

    /// <summary>The attribute value as SQS returns it.</summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("deadLetterTargetArn", DeadLetterTargetArn);
            writer.WriteNumber("maxReceiveCount", MaxReceiveCount);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses the attribute value; throws <c>InvalidAttributeValue</c> naming what is wrong.</summary>
    public static RedrivePolicy Parse(string value)
    {
        const string Name = "RedrivePolicy";
        const string Shape = "Use {\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:<dlq>\",\"maxReceiveCount\":<1-1000>}.";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException ex)
        {
            throw SqsErrors.InvalidAttributeValue(Name, $"Redrive policy is not a valid JSON map ({ex.Message}). {Shape}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw SqsErrors.InvalidAttributeValue(Name, $"Redrive policy must be a JSON object. {Shape}");
            }

            string? arn = null;
            int? maxReceiveCount = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "deadLetterTargetArn" when property.Value.ValueKind == JsonValueKind.String:
                        arn = property.Value.GetString();
                        break;
                    case "maxReceiveCount":
                        maxReceiveCount = property.Value.ValueKind switch
                        {
                            JsonValueKind.Number when property.Value.TryGetInt32(out int n) => n,
                            JsonValueKind.String when int.TryParse(property.Value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) => n,
                            _ => throw SqsErrors.InvalidAttributeValue(Name, $"maxReceiveCount must be an integer from 1 to {SqsLimits.MaxReceiveCountLimit}. {Shape}"),
                        };
                        break;
                    default:
                        throw SqsErrors.InvalidAttributeValue(Name, $"Unknown or mistyped redrive policy field '{property.Name}'. {Shape}");
                }
            }

            if (arn is null || QueueNames.FromArn(arn) is null)
            {
                throw SqsErrors.InvalidAttributeValue(Name, $"deadLetterTargetArn must be an SQS queue ARN. {Shape}");
            }

            if (maxReceiveCount is not { } count || count < 1 || count > SqsLimits.MaxReceiveCountLimit)
            {
                throw SqsErrors.InvalidAttributeValue(Name, $"maxReceiveCount must be an integer from 1 to {SqsLimits.MaxReceiveCountLimit}. {Shape}");
            }

            return new RedrivePolicy(arn, count);
        }
    }
}
