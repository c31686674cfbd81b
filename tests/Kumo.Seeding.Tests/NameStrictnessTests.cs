using Kumo.Contract;

namespace Kumo.Seeding.Tests;

/// <summary>The contract's bucket rules: what AWS rejects beyond kumo, and what both reject.</summary>
public sealed class NameStrictnessTests
{
    [Theory]
    [InlineData("sthree-orders")]
    [InlineData("amzn-s3-demo-orders")]
    [InlineData("orders--ol-s3")]
    [InlineData("orders.mrap")]
    [InlineData("orders--x-s3")]
    [InlineData("orders--table-s3")]
    public void Names_reserved_by_AWS_later_are_rejected_for_AWS_and_accepted_for_kumo(string name)
    {
        Assert.NotNull(AwsNameRules.BucketNameProblem(name, NameStrictness.Aws));
        Assert.Null(AwsNameRules.BucketNameProblem(name, NameStrictness.Kumo));
    }

    [Theory]
    [InlineData("xn--orders")]
    [InlineData("orders-s3alias")]
    [InlineData("Orders")]
    [InlineData("192.168.1.1")]
    [InlineData("ab")]
    public void Names_both_reject_are_rejected_under_either_strictness(string name)
    {
        Assert.NotNull(AwsNameRules.BucketNameProblem(name, NameStrictness.Aws));
        Assert.NotNull(AwsNameRules.BucketNameProblem(name, NameStrictness.Kumo));
    }

    [Fact]
    public void Log_levels_round_trip_through_their_variable_spelling()
    {
        foreach (KumoLogLevel level in Enum.GetValues<KumoLogLevel>())
        {
            Assert.True(KumoLogLevels.TryParse(KumoLogLevels.ToVariableValue(level).ToUpperInvariant(), out KumoLogLevel parsed));
            Assert.Equal(level, parsed);
        }

        Assert.False(KumoLogLevels.TryParse("verbose", out _));
    }
}
