using Kumo.Snapshots;

namespace Kumo.Testing.Tests.Xunit;

public sealed class KumoSnapshotDirectoryTests : IDisposable
{
    private readonly string _root = TestStore.NewDirectory("snapshot-dir");

    [Fact]
    public void The_variable_wins()
    {
        string start = Directory.CreateDirectory(Path.Combine(_root, "repo", ".git")).Parent!.FullName;

        string resolved = KumoSnapshotDirectory.Resolve(name => name == "KUMO_SNAPSHOT_DIR" ? " /ci/cache/kumo " : null, start);

        Assert.Equal("/ci/cache/kumo", resolved);
    }

    [Fact]
    public void Inside_a_repository_it_is_dot_kumo_snapshots_at_the_root()
    {
        string repo = Path.Combine(_root, "repo");
        Directory.CreateDirectory(Path.Combine(repo, ".git"));
        string deep = Directory.CreateDirectory(Path.Combine(repo, "tests", "X", "bin", "Debug", "net10.0")).FullName;

        Assert.Equal(Path.Combine(repo, ".kumo", "snapshots"), KumoSnapshotDirectory.Resolve(_ => null, deep));
    }

    [Fact]
    public void A_git_file_marks_a_worktree_root_too()
    {
        string worktree = Directory.CreateDirectory(Path.Combine(_root, "worktree")).FullName;
        File.WriteAllText(Path.Combine(worktree, ".git"), "gitdir: /elsewhere/.git/worktrees/x\n");

        Assert.Equal(Path.Combine(worktree, ".kumo", "snapshots"), KumoSnapshotDirectory.Resolve(_ => "", worktree));
    }

    [Fact]
    public void Outside_a_repository_it_is_under_the_temporary_directory()
    {
        string plain = Directory.CreateDirectory(Path.Combine(_root, "plain")).FullName;
        Assert.SkipWhen(HasGitAncestor(plain), $"the temporary directory '{plain}' is inside a git repository on this machine, so the fallback cannot be observed");

        Assert.Equal(Path.GetFullPath(Path.Combine(Path.GetTempPath(), "kumo-snapshots")), KumoSnapshotDirectory.Resolve(_ => null, plain));
    }

    public void Dispose() => TestStore.Delete(_root);

    private static bool HasGitAncestor(string path)
    {
        for (DirectoryInfo? d = new(path); d is not null; d = d.Parent)
        {
            if (Path.Exists(Path.Combine(d.FullName, ".git")))
            {
                return true;
            }
        }

        return false;
    }
}
