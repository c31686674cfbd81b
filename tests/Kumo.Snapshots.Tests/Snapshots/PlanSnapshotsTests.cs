namespace Kumo.Snapshots.Tests.Snapshots;

/// <summary>The core's snapshot-of-plans rules: the combined key hash and the owner-scoped directories.</summary>
public sealed class PlanSnapshotsTests
{
    private const string A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public void One_plan_is_keyed_by_its_own_hash_and_several_by_an_ordered_hash_of_hashes()
    {
        Assert.Equal(A, PlanSnapshots.CombineHashes([A]));
        string ab = PlanSnapshots.CombineHashes([A, B]);
        Assert.Equal(64, ab.Length);
        Assert.NotEqual(A, ab);
        Assert.Equal(ab, PlanSnapshots.CombineHashes([A, B]));
        Assert.NotEqual(ab, PlanSnapshots.CombineHashes([B, A]));
        Assert.Throws<ArgumentException>(() => PlanSnapshots.CombineHashes([]));
    }

    [Fact]
    public void Owned_directories_carry_the_process_id_and_the_fresh_id_and_sweep_those_of_dead_processes()
    {
        string parent = Path.Combine(Path.GetTempPath(), "kumo-plan-snapshots-" + Guid.NewGuid().ToString("N"));
        try
        {
            // A directory left by a process that no longer runs (pid 2^22 + 1 is above Linux's pid_max).
            string stale = Path.Combine(parent, ".tmp-4194305-old-run");
            Directory.CreateDirectory(stale);
            var swept = new List<string>();

            string first = PlanSnapshots.NewOwnedDirectory(parent, id => $"r1-w0-{id}", swept.Add);
            string second = PlanSnapshots.NewOwnedDirectory(parent, id => $"r1-w0-{id}");

            Assert.StartsWith(Path.Combine(parent, $".tmp-{Environment.ProcessId}-r1-w0-"), first, StringComparison.Ordinal);
            Assert.NotEqual(first, second);
            Assert.False(Directory.Exists(stale));
            Assert.Equal([stale], swept);
            Assert.Throws<ArgumentException>(() => PlanSnapshots.NewOwnedDirectory(parent, _ => "no-id"));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
