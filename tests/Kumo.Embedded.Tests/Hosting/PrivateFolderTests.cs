using Kumo.Engines;

namespace Kumo.Embedded.Tests.Hosting;

/// <summary>
/// A memory-only engine keeps object bodies in a private folder (on /dev/shm, or in <c>TMPDIR</c> when that is set);
/// one killed with SIGKILL leaves it behind, and the next engine to start removes it. Both engines run with a
/// <c>TMPDIR</c> of this test's own, so engines that other tests start at the same time cannot sweep the folder first.
/// </summary>
public sealed class PrivateFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_folder_of_a_killed_memory_only_engine_is_removed_by_the_next_engine()
    {
        string root = Directory.CreateTempSubdirectory("kumo-private-").FullName;
        try
        {
            var options = new EngineStartOptions { Environment = new Dictionary<string, string?> { ["TMPDIR"] = root } };
            EngineDefinition engine = EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll"));
            string[] FoldersOf(int pid) => Directory.GetDirectories(root, $"{KumoEngine.PrivateFolderPrefix}{pid}-*");

            int pid;
            await using (RunningEngine killed = await EngineProcess.StartAsync(engine, options, Ct))
            {
                pid = killed.ProcessId;
                Assert.Single(FoldersOf(pid));
                killed.Kill();
                await killed.WaitForExitAsync(Ct);
            }

            Assert.Single(FoldersOf(pid)); // SIGKILL gives the engine no chance to clean up

            await using RunningEngine next = await EngineProcess.StartAsync(engine, options, Ct);

            Assert.Empty(FoldersOf(pid));
            Assert.Single(FoldersOf(next.ProcessId)); // a live process keeps its own folder
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
