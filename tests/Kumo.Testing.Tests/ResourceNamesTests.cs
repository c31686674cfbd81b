using Kumo.Contract;
using Kumo.Seeding;

namespace Kumo.Testing.Tests;

public sealed class ResourceNamesTests
{
    private static readonly KumoRunContext Context = new("1234-1", "p77");

    [Fact]
    public void Names_get_the_run_and_worker_and_are_lower_case()
    {
        Assert.Equal("orders-inbox-1234-1-p77", ResourceNames.Namespaced("Orders_Inbox", Context));
    }

    [Fact]
    public void Fifo_suffix_is_kept()
    {
        string name = ResourceNames.Namespaced("Jobs.fifo", Context);
        Assert.Equal("jobs-1234-1-p77.fifo", name);
        Assert.True(AwsNameRules.IsValidQueueName(name, fifo: true, out _));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("x.y.z")]
    [InlineData("--weird--name--")]
    [InlineData("a-very-long-base-name-that-goes-on-and-on-and-on-well-past-the-limit")]
    [InlineData("a-very-long-base-name-that-goes-on-and-on-and-on-well-past-the-limit.fifo")]
    public void Names_are_valid_buckets_and_queues(string baseName)
    {
        var context = new KumoRunContext("run-0123456789abcdef", "worker-0123456789");
        string name = ResourceNames.Namespaced(baseName, context);
        bool fifo = baseName.EndsWith(".fifo", StringComparison.Ordinal);

        Assert.True(name.Length <= ResourceNames.MaxLength, name);
        Assert.True(AwsNameRules.IsValidBucketName(name, out string? bucketProblem), bucketProblem);
        Assert.True(AwsNameRules.IsValidQueueName(name, fifo, out string? queueProblem), queueProblem);
    }

    [Fact]
    public void Truncated_names_stay_distinct()
    {
        var context = new KumoRunContext("run", "w0");
        string stem = new('a', 70);
        string a = ResourceNames.Namespaced(stem + "-one", context);
        string b = ResourceNames.Namespaced(stem + "-two", context);

        Assert.Equal(63, a.Length);
        Assert.NotEqual(a, b);
        Assert.Matches("-[0-9a-f]{8}$", a);
    }

    [Fact]
    public void Different_workers_get_different_names()
    {
        Assert.NotEqual(ResourceNames.Namespaced("orders", new KumoRunContext("r", "w1")), ResourceNames.Namespaced("orders", new KumoRunContext("r", "w2")));
    }

    [Fact]
    public void A_base_name_without_letters_is_rejected()
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => ResourceNames.Namespaced("__", Context));
        Assert.Contains("Fix:", e.Message, StringComparison.Ordinal);
    }
}
