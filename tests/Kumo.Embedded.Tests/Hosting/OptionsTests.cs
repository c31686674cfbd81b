using System.Collections;
using Kumo.Contract;

namespace Kumo.Embedded.Tests.Hosting;

public sealed class OptionsTests
{
    private static KumoEngineOptions Parse(IDictionary env, params string[] args) => KumoEngineOptions.FromEnvironment(env, args);

    [Fact]
    public void Defaults_follow_kumo_but_bind_loopback()
    {
        KumoEngineOptions options = Parse(new Hashtable());

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(4566, options.Port);
        Assert.Equal(KumoLogLevel.Info, options.LogLevel);
        Assert.Null(options.DataDir);
        Assert.Equal(TimeSpan.FromSeconds(1), options.FlushInterval);
        Assert.Equal(KumoDurability.Flush, options.Durability);
        Assert.False(options.RefuseCorruptState);
        Assert.Equal(KumoHttpServer.Builtin, options.HttpServer);
        Assert.Equal(TimeSpan.FromMicroseconds(100), options.HttpSpinWait);
    }

    [Fact]
    public void Environment_is_read_and_flags_win()
    {
        var env = new Hashtable
        {
            ["KUMO_HOST"] = "0.0.0.0",
            ["KUMO_PORT"] = "5000",
            ["KUMO_LOG_LEVEL"] = "debug",
            ["KUMO_DATA_DIR"] = "/tmp/d",
            ["KUMO_INIT_DIR"] = "/tmp/i",
            ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = "250",
            ["KUMO_STRICT_COMPAT"] = "true",
            ["KUMO_DURABILITY"] = "SYNC",
            ["KUMO_CORRUPT_STATE"] = "refuse",
            ["KUMO_HTTP_SERVER"] = "Kestrel",
            ["KUMO_HTTP_SPIN_US"] = "0",
        };

        KumoEngineOptions options = Parse(env, "--port", "0", "--host=127.0.0.1", "--log-level", "error");

        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal(0, options.Port);
        Assert.Equal(KumoLogLevel.Error, options.LogLevel);
        Assert.Equal("/tmp/d", options.DataDir);
        Assert.Equal("/tmp/i", options.InitDir);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.FlushInterval);
        Assert.True(options.StrictKumoCompatibility);
        Assert.Equal(KumoDurability.Sync, options.Durability);
        Assert.True(options.RefuseCorruptState);
        Assert.Equal(KumoHttpServer.Kestrel, options.HttpServer);
        Assert.Equal(TimeSpan.Zero, options.HttpSpinWait);
    }

    [Theory]
    [InlineData("KUMO_PORT", "http", "KUMO_PORT='http'")]
    [InlineData("KUMO_PORT", "70000", "between 1 and 65535")]
    [InlineData("KUMO_HOST", "my host", "KUMO_HOST='my host'")]
    [InlineData("KUMO_LOG_LEVEL", "verbose", "debug, info, warn or error")]
    [InlineData("KUMO_PERSIST_FLUSH_INTERVAL_MS", "-5", "KUMO_PERSIST_FLUSH_INTERVAL_MS")]
    [InlineData("KUMO_STRICT_COMPAT", "maybe", "true or false")]
    [InlineData("KUMO_DURABILITY", "always", "flush (fsync every flush interval) or sync")]
    [InlineData("KUMO_HTTP_SERVER", "iis", "builtin (the engine's own server, the default) or kestrel")]
    [InlineData("KUMO_HTTP_SPIN_US", "fast", "microseconds from 0 (no watch) to 1000")]
    [InlineData("KUMO_HTTP_SPIN_US", "5000", "Use 0 (no watch) up to 1000 microseconds")]
    [InlineData("KUMO_CORRUPT_STATE", "ignore", "quarantine (move the file aside and start empty) or refuse")]
    public void Bad_values_name_the_variable_and_the_fix(string name, string value, string expected)
    {
        KumoConfigurationException error = Assert.Throws<KumoConfigurationException>(() => Parse(new Hashtable { [name] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(name, error.Setting);
    }

    [Fact]
    public void Unknown_flag_lists_the_known_ones()
    {
        KumoConfigurationException error = Assert.Throws<KumoConfigurationException>(() => Parse(new Hashtable(), "--prot", "1"));

        Assert.Contains("--prot", error.Message, StringComparison.Ordinal);
        Assert.Contains("--port", error.Message, StringComparison.Ordinal);
    }
}
