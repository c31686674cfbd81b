using Kumo.Engines;

namespace Kumo.Embedded.Tests.Hosting;

/// <summary>A memory-only engine keeps object bodies in a private folder (on /dev/shm or in the temporary directory); one killed with SIGKILL leaves it behind, and the next engine to start removes it.</summary>
public sealed class PrivateFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] FoldersOf(int pid) => Directory.GetDirectories(PrivateFolders.Root, $"{KumoEngine.PrivateFolderPrefix}{pid}-*");

    [Fact]
    public async Task The_folder_of_a_killed_memory_only_engine_is_removed_by_the_next_engine()
    {
        int pid;
        await using (RunningEngine killed = await EngineProcess.StartAsync(EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")), new EngineStartOptions(), Ct))
        {
            pid = killed.ProcessId;
            Assert.Single(FoldersOf(pid));
            killed.Kill();
            await killed.WaitForExitAsync(Ct);
        }

        Assert.Single(FoldersOf(pid)); // SIGKILL gives the engine no chance to clean up

        await using TestEngine next = await TestEngine.StartAsync(persistent: false);

        Assert.Empty(FoldersOf(pid));
        Assert.NotEmpty(FoldersOf(Environment.ProcessId)); // a live process keeps its own folder
    }
}
