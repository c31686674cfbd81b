using Kumo.DurabilityProbe;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// SIGKILL during sustained writes at 20,000 objects, a few rounds per durability mode (the soak with
/// 20+ kills is <c>bench/run.sh durability</c>): nothing acknowledged more than one flush interval before
/// the kill is lost in flush mode, nothing acknowledged at all in sync mode.
/// </summary>
public sealed class KillTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("flush", 2)]
    [InlineData("sync", 2)]
    public async Task Nothing_acknowledged_before_the_promise_is_lost_when_the_engine_is_killed(string durability, int kills)
    {
        TimeSpan interval = TimeSpan.FromSeconds(1);
        var options = new KillProbeOptions(
            Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll"),
            TestEngine.NewDataDir(),
            durability,
            interval,
            Window: durability == "sync" ? TimeSpan.Zero : interval,
            PreloadObjects: 20_000,
            kills,
            MinRun: TimeSpan.FromSeconds(1.5),
            MaxRun: TimeSpan.FromSeconds(2.5),
            Seed: 14);

        IReadOnlyList<KillRound> rounds = await KillProbe.RunAsync(options, output.WriteLine, TestContext.Current.CancellationToken);

        Assert.Equal(kills, rounds.Count);
        Assert.All(rounds, r => Assert.True(r.ObjectsAtKill >= 20_000, r.ToString()));
        Assert.All(rounds, r => Assert.True(r.AckedPuts > 0 && r.AckedSends > 0, $"the workload must have written something: {r}"));
        Assert.All(rounds, r => Assert.True(r.Lost == 0, r.ToString()));
        Directory.Delete(options.DataDir, recursive: true);
    }
}
