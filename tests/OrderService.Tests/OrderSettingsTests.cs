using Microsoft.Extensions.Options;
using OrderService.Tests.Infrastructure;

namespace OrderService.Tests;

/// <summary>Bad settings stop the service at startup, naming the setting and the fix.</summary>
public sealed class OrderSettingsTests(SharedEngine shared)
{
    [Fact]
    public async Task Out_of_range_settings_fail_the_start_with_their_names()
    {
        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => OrderServiceHost.StartAsync(shared.Engine, "settings", settings: s =>
        {
            s["Orders:WaitTimeSeconds"] = "30";
            s["Orders:DeadLetterQueue"] = s["Orders:Queue"];
            s["Orders:Bucket"] = " ";
        }));

        Assert.Contains("Orders:WaitTimeSeconds is 30; use a value from 0 to 20.", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orders:DeadLetterQueue must differ from Orders:Queue", error.Message, StringComparison.Ordinal);
        Assert.Contains("Orders:Bucket is empty; set it (environment variable Orders__Bucket).", error.Message, StringComparison.Ordinal);
    }
}
