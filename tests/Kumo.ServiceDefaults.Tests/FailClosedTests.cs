using Amazon.S3;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>An app set up for kumo refuses to start rather than reach anything but kumo.</summary>
public sealed class FailClosedTests
{
    [Fact]
    public void No_endpoint_is_a_startup_error_naming_every_setting_looked_at()
    {
        HostApplicationBuilder builder = WiredHost.Builder([]);

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        foreach (string setting in (string[])["ConnectionStrings:kumo", "ConnectionStrings__kumo", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS:ServiceURL"])
        {
            Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("S3, SQS and DynamoDB", error.Message, StringComparison.Ordinal);
        Assert.Contains("never fall back to real AWS", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings:kumo", error.Settings);
        Assert.Contains("AWS_ENDPOINT_URL", error.Settings);
    }

    [Fact]
    public void Ambient_AWS_settings_are_not_an_endpoint()
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = "AKIAAMBIENTKEY",
            ["AWS_SECRET_ACCESS_KEY"] = "ambient-secret",
            ["AWS_PROFILE"] = "production",
            ["AWS_REGION"] = "eu-west-1",
            ["AWS:Profile"] = "production",
            ["AWS:Region"] = "eu-west-1",
        });

        Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());
    }

    [Fact]
    public void A_named_connection_is_named_in_the_error()
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = "http://localhost:4566" });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients("orders-kumo"));

        Assert.Contains("ConnectionStrings:orders-kumo", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__orders-kumo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_endpoint_for_only_one_service_names_the_missing_one()
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566" });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains("no endpoint for SQS and DynamoDB", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ENDPOINT_URL_SQS", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_ENDPOINT_URL_DYNAMODB", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_ENDPOINT_URL_S3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConnectionStrings:kumo", "not a url", "not an absolute URL")]
    [InlineData("ConnectionStrings:kumo", "Region=us-east-1;Account=1", "has no Endpoint")]
    [InlineData("AWS_ENDPOINT_URL", "ftp://localhost:4566", "scheme is 'ftp'")]
    [InlineData("AWS_ENDPOINT_URL", "localhost:4566", "scheme is 'localhost'")]
    [InlineData("AWS_ENDPOINT_URL_S3", "http://localhost:4566/prefix", "has a path")]
    [InlineData("AWS:ServiceURL", "http://localhost:4566/?x=1", "query")]
    public void A_malformed_endpoint_is_a_startup_error_naming_the_setting(string key, string value, string problem)
    {
        var configuration = new Dictionary<string, string?> { [key] = value };
        if (key == "AWS_ENDPOINT_URL_S3")
        {
            configuration["AWS_ENDPOINT_URL_SQS"] = "http://localhost:4566";
            configuration["AWS_ENDPOINT_URL_DYNAMODB"] = "http://localhost:4566";
        }

        HostApplicationBuilder builder = WiredHost.Builder(configuration);

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(key, error.Settings);
    }

    [Theory]
    [InlineData("http://example.com:4566")]
    [InlineData("http://10.0.0.5:4566")]
    [InlineData("https://kumo.internal.example:4566")]
    [InlineData("http://[2001:db8::1]:4566")]
    public void A_non_local_endpoint_without_opt_in_is_a_startup_error(string endpoint)
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = endpoint });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains("not local", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kumo:AllowNonLoopbackEndpoint=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kumo__AllowNonLoopbackEndpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("KumoAwsOptions.AllowNonLoopbackEndpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("Kumo:AllowNonLoopbackEndpoint", error.Settings);
    }

    [Fact]
    public void A_non_local_endpoint_with_the_configuration_opt_in_is_accepted()
    {
        using IHost host = WiredHost.Build(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = "http://kumo.test.example:4566",
            ["Kumo:AllowNonLoopbackEndpoint"] = "true",
        });

        Assert.Equal("http://kumo.test.example:4566/", host.Services.GetRequiredService<IAmazonS3>().Config.ServiceURL);
    }

    [Fact]
    public void A_non_local_endpoint_with_the_code_opt_in_is_accepted()
    {
        using IHost host = WiredHost.Build(
            new Dictionary<string, string?> { ["AWS_ENDPOINT_URL"] = "http://10.0.0.5:4566" },
            configure: o => o.AllowNonLoopbackEndpoint = true);

        Assert.Equal("http://10.0.0.5:4566/", host.Services.GetRequiredService<IAmazonS3>().Config.ServiceURL);
    }

    [Theory]
    [InlineData("https://s3.us-east-1.amazonaws.com")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com")]
    [InlineData("https://s3.cn-north-1.amazonaws.com.cn")]
    [InlineData("https://s3.dualstack.us-east-1.api.aws")]
    [InlineData("https://AMAZONAWS.COM.")]
    public void A_real_AWS_endpoint_is_refused_even_with_the_opt_in(string endpoint)
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?>
        {
            ["ConnectionStrings:kumo"] = endpoint,
            ["Kumo:AllowNonLoopbackEndpoint"] = "true",
        });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains("real AWS endpoint", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:4566")]
    [InlineData("http://LOCALHOST:4566")]
    [InlineData("http://127.0.0.1:4566")]
    [InlineData("http://127.9.8.7:4566")]
    [InlineData("http://[::1]:4566")]
    [InlineData("http://[::ffff:127.0.0.1]:4566")]
    [InlineData("http://kumo.localhost:4566")]
    [InlineData("http://kumo:4566")]
    [InlineData("http://host.docker.internal:4566")]
    [InlineData("https://localhost:4567")]
    public void Local_endpoints_need_no_opt_in(string endpoint)
    {
        using IHost host = WiredHost.Build(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = endpoint });

        Assert.Equal(new Uri(endpoint), host.Services.GetRequiredService<KumoAwsSettings>().S3ServiceUrl);
    }

    [Theory]
    [InlineData("Kumo:AllowNonLoopbackEndpoint", "yes", "not a boolean")]
    [InlineData("Kumo:HealthCheckTimeout", "soon", "not a positive duration")]
    [InlineData("AWS_REGION", "Not A Region", "region")]
    public void A_malformed_kumo_setting_is_a_startup_error_naming_it(string key, string value, string problem)
    {
        HostApplicationBuilder builder = WiredHost.Builder(new Dictionary<string, string?> { ["ConnectionStrings:kumo"] = "http://localhost:4566", [key] = value });

        KumoWiringException error = Assert.Throws<KumoWiringException>(() => builder.AddKumoAwsClients());

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
