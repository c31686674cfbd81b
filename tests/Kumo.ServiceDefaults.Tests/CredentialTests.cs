using Amazon.S3;
using Amazon.SQS;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>
/// Clients sign with static dummy credentials and never with the ambient chain. Checked on the wire: the
/// <c>Authorization</c> header of every request that reaches the engine's port.
/// </summary>
public sealed class CredentialTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_are_signed_with_the_dummy_key_whatever_the_configuration_and_environment_hold()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var tap = new WireTap(engine.Endpoint);
        var configuration = WiredHost.ConnectionString(engine.Endpoint);
        configuration["AWS_ACCESS_KEY_ID"] = "AKIAAMBIENTCONFIGKEY";
        configuration["AWS_SECRET_ACCESS_KEY"] = "ambient-secret";
        configuration["AWS_SESSION_TOKEN"] = "ambient-session-token";
        configuration["AWS_PROFILE"] = "ambient-profile";
        configuration["AWS:Profile"] = "ambient-profile";

        // The process environment is shared by parallel tests; every client in this assembly is built with explicit
        // credentials, so only the ambient chain (which must not be used) could ever read these. (AWS_PROFILE is
        // only set in the configuration above: the SDK reads the process's profile for other settings too.)
        using (new EnvironmentOverride(new()
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAAMBIENTPROCESSKEY",
            ["AWS_SECRET_ACCESS_KEY"] = "ambient-process-secret",
            ["AWS_SESSION_TOKEN"] = "ambient-process-token",
        }))
        {
            using IHost host = WiredHost.Build(configuration);
            await host.Services.GetRequiredService<IAmazonS3>().ListBucketsAsync(Ct);
            await host.Services.GetRequiredService<IAmazonSQS>().ListQueuesAsync(new Amazon.SQS.Model.ListQueuesRequest(), Ct);
        }

        IReadOnlyList<WireTap.Captured> requests = tap.Requests;
        Assert.Contains(requests, r => r.Target is null);                                 // S3
        Assert.Contains(requests, r => r.Target?.StartsWith("AmazonSQS.", StringComparison.Ordinal) == true);
        Assert.All(requests, r => Assert.Equal("test", WireTap.AccessKeyOf(r.Authorization)));
        Assert.All(requests, r => Assert.False(r.HasSecurityToken, "no session token may be sent"));
    }

    [Fact]
    public async Task The_kumo_section_can_name_other_dummy_credentials()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var tap = new WireTap(engine.Endpoint);
        var configuration = WiredHost.ConnectionString(engine.Endpoint);
        configuration["Kumo:AccessKeyId"] = "kumo-fixture-key";
        configuration["Kumo:SecretAccessKey"] = "kumo-fixture-secret";

        using IHost host = WiredHost.Build(configuration);
        await host.Services.GetRequiredService<IAmazonS3>().ListBucketsAsync(Ct);

        Assert.NotEmpty(tap.AccessKeyIds);
        Assert.All(tap.AccessKeyIds, key => Assert.Equal("kumo-fixture-key", key));
        Assert.Equal("kumo-fixture-key", host.Services.GetRequiredService<KumoAwsSettings>().AccessKeyId);
    }

    /// <summary>Sets process environment variables for a scope and restores the previous values.</summary>
    private sealed class EnvironmentOverride : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = [];

        public EnvironmentOverride(Dictionary<string, string> values)
        {
            foreach ((string name, string value) in values)
            {
                _previous[name] = Environment.GetEnvironmentVariable(name);
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach ((string name, string? value) in _previous)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
