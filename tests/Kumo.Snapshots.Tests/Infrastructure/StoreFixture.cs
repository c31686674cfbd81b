using Kumo.Engines;

namespace Kumo.Snapshots.Tests;

/// <summary>A store in a fresh directory and a request factory whose seed counts its invocations.</summary>
internal sealed class StoreFixture : IDisposable
{
    private int _seeds;

    public StoreFixture(string name, RestoreMode? mode = null)
    {
        Directory = new TempDirectory(name);
        Store = mode is { } chosen ? new SnapshotStore(Directory.Sub("store")) { RestoreMode = chosen } : new SnapshotStore(Directory.Sub("store"));
    }

    /// <summary>Overwrites a (read-only) snapshot file, as a careless tool or a disk fault would.</summary>
    public static void Tamper(string path, byte[] content)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllBytes(path, content);
    }

    public TempDirectory Directory { get; }

    public SnapshotStore Store { get; }

    /// <summary>How many times any seed delegate from <see cref="Request"/> ran.</summary>
    public int Seeds => Volatile.Read(ref _seeds);

    public SnapshotRequest Request(string planHash = "plan-a", string fixture = "1", int objects = 3, EngineDefinition? engine = null, Func<Uri, CancellationToken, Task>? verify = null)
        => new()
        {
            PlanHash = planHash,
            FixtureVersion = fixture,
            Engine = engine ?? TestEngines.Embedded,
            Seed = async (endpoint, ct) =>
            {
                Interlocked.Increment(ref _seeds);
                await TestS3.SeedAsync(endpoint, objects, planHash + "/" + fixture, ct);
            },
            Verify = verify,
        };

    public void Dispose() => Directory.Dispose();
}
