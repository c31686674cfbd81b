using Microsoft.Extensions.Options;

namespace OrderService.Setup;

/// <summary>Checks <see cref="OrdersOptions"/> at startup; each failure names the setting and the fix.</summary>
internal sealed class OrdersOptionsValidator : IValidateOptions<OrdersOptions>
{
    public ValidateOptionsResult Validate(string? name, OrdersOptions options)
    {
        var failures = new List<string>();
        Require(failures, nameof(OrdersOptions.Bucket), options.Bucket);
        Require(failures, nameof(OrdersOptions.Queue), options.Queue);
        Require(failures, nameof(OrdersOptions.DeadLetterQueue), options.DeadLetterQueue);
        if (string.Equals(options.Queue, options.DeadLetterQueue, StringComparison.Ordinal))
        {
            failures.Add($"{Key(nameof(OrdersOptions.DeadLetterQueue))} must differ from {Key(nameof(OrdersOptions.Queue))} ('{options.Queue}').");
        }

        Range(failures, nameof(OrdersOptions.WaitTimeSeconds), options.WaitTimeSeconds, 0, 20);
        Range(failures, nameof(OrdersOptions.VisibilityTimeoutSeconds), options.VisibilityTimeoutSeconds, 1, 43_200);
        Range(failures, nameof(OrdersOptions.MaxAttempts), options.MaxAttempts, 1, 100);
        Range(failures, nameof(OrdersOptions.RetryBaseDelaySeconds), options.RetryBaseDelaySeconds, 0, 43_200);
        Range(failures, nameof(OrdersOptions.RetryMaxDelaySeconds), options.RetryMaxDelaySeconds, options.RetryBaseDelaySeconds, 43_200);
        Range(failures, nameof(OrdersOptions.PollErrorDelaySeconds), options.PollErrorDelaySeconds, 0, 300);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => $"{OrdersOptions.SectionName}:{property}";

    private static void Require(List<string> failures, string property, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Key(property)} is empty; set it (environment variable {OrdersOptions.SectionName}__{property}).");
        }
    }

    private static void Range(List<string> failures, string property, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{Key(property)} is {value}; use a value from {min} to {max}.");
        }
    }
}
