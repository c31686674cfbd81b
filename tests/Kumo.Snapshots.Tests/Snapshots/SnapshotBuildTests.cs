using System.Security.Cryptography;
using System.Text.Json;
using Kumo.Engines;
using Kumo.Storage;

namespace Kumo.Snapshots.Tests.Snapshots;

public sealed class SnapshotBuildTests
{
    [Fact]
    public async Task First_request_builds_and_publishes_a_manifest_listing_every_file_then_later_requests_reuse_it()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("build");
        SnapshotRequest request = fixture.Request(objects: 4);

        Snapshot built = await fixture.Store.GetOrBuildAsync(request, ct);
        Snapshot reused = await fixture.Store.GetOrBuildAsync(request, ct);

        Assert.True(built.Built);
        Assert.False(reused.Built);
        Assert.Equal(1, fixture.Seeds);
        Assert.Equal(built.Manifest.BuildId, reused.Manifest.BuildId);
        Assert.Equal(fixture.Store.KeyFor(request), built.Key);
        Assert.Equal(Path.Combine(fixture.Store.Root, built.Key), built.Directory);

        SnapshotManifest manifest = built.Manifest;
        Assert.Equal(SnapshotStore.FormatVersion, manifest.FormatVersion);
        Assert.Equal(("plan-a", "1"), (manifest.PlanHash, manifest.FixtureVersion));
        Assert.Equal((TestEngines.Embedded.Name, TestEngines.Embedded.Version, "Embedded"), (manifest.Engine.Name, manifest.Engine.Version, manifest.Engine.Kind));
        Assert.InRange(manifest.CreatedUtc, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Contains(manifest.Files, f => f.Path == "s3.json");
        Assert.Single(manifest.Files, f => f.Path.StartsWith("s3-segments/", StringComparison.Ordinal)); // the 4 small bodies share one segment
        Assert.Equal(manifest.Files.Select(f => f.Path).Order(StringComparer.Ordinal), manifest.Files.Select(f => f.Path));

        // Every file on disk is listed with its true size and hash, and nothing else is there.
        string[] onDisk = Directory.GetFiles(built.DataDirectory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(built.DataDirectory, p)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(onDisk, manifest.Files.Select(f => f.Path));
        foreach (SnapshotFile file in manifest.Files)
        {
            byte[] bytes = await File.ReadAllBytesAsync(Path.Combine(built.DataDirectory, file.Path), ct);
            Assert.Equal(bytes.LongLength, file.Size);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        }

        // The manifest on disk is the one returned, and the build left no temporary directory.
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(built.Directory, "manifest.json"), ct));
        Assert.Equal(built.Key, json.RootElement.GetProperty("key").GetString());
        Assert.Equal(manifest.Files.Count, json.RootElement.GetProperty("files").GetArrayLength());
        Assert.Empty(Directory.GetDirectories(fixture.Store.Root, AtomicFile.TemporaryPrefix + "*"));
        Assert.True(File.Exists(Path.Combine(built.Directory, "build.log")));
        Assert.Equal(manifest, (await fixture.Store.ValidateAsync(built, TestEngines.Embedded, ct)) with { Files = manifest.Files });
    }

    [Fact]
    public async Task Drift_in_plan_fixture_or_engine_version_builds_a_new_snapshot_and_never_reuses_the_old_one()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("drift");
        EngineDefinition engine = TestEngines.Embedded;
        var otherVersion = new EngineDefinition(engine.Kind, engine.Name, engine.Version + "-next", engine.FileName, engine.Arguments);

        Snapshot original = await fixture.Store.GetOrBuildAsync(fixture.Request(), ct);
        Snapshot planDrift = await fixture.Store.GetOrBuildAsync(fixture.Request(planHash: "plan-b"), ct);
        Snapshot fixtureDrift = await fixture.Store.GetOrBuildAsync(fixture.Request(fixture: "2"), ct);
        Snapshot engineDrift = await fixture.Store.GetOrBuildAsync(fixture.Request(engine: otherVersion), ct);

        Assert.Equal(4, fixture.Seeds);
        Assert.All([planDrift, fixtureDrift, engineDrift], s => Assert.True(s.Built));
        Assert.Equal(4, new[] { original.Key, planDrift.Key, fixtureDrift.Key, engineDrift.Key }.Distinct().Count());
        Assert.Equal("plan-b", planDrift.Manifest.PlanHash);
        Assert.Equal("2", fixtureDrift.Manifest.FixtureVersion);
        Assert.Equal(otherVersion.Version, engineDrift.Manifest.Engine.Version);
        Assert.Equal(4, fixture.Store.List().Count);

        // The format version is part of the key too.
        Assert.NotEqual(
            SnapshotKeys.Compute(SnapshotStore.FormatVersion, "plan-a", "1", engine.Name, engine.Version),
            SnapshotKeys.Compute(SnapshotStore.FormatVersion + 1, "plan-a", "1", engine.Name, engine.Version));
        Assert.Equal(original.Key, SnapshotKeys.Compute(SnapshotStore.FormatVersion, "plan-a", "1", engine.Name, engine.Version));
    }

    [Fact]
    public async Task A_manifest_of_another_format_version_is_not_trusted_and_the_snapshot_is_rebuilt()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("format");
        SnapshotRequest request = fixture.Request(objects: 1);
        Snapshot original = await fixture.Store.GetOrBuildAsync(request, ct);
        string manifestPath = Path.Combine(original.Directory, "manifest.json");
        string text = await File.ReadAllTextAsync(manifestPath, ct);
        StoreFixture.Tamper(manifestPath, System.Text.Encoding.UTF8.GetBytes(text.Replace("\"formatVersion\": 1", "\"formatVersion\": 2", StringComparison.Ordinal)));

        Assert.Null(fixture.Store.TryGet(request));
        SnapshotCorruptException corrupt = await Assert.ThrowsAsync<SnapshotCorruptException>(() => fixture.Store.ValidateAsync(original, TestEngines.Embedded, ct));
        Snapshot rebuilt = await fixture.Store.GetOrBuildAsync(request, ct);

        Assert.Contains("/formatVersion", corrupt.Message, StringComparison.Ordinal);
        Assert.Equal("manifest.json", corrupt.File);
        Assert.True(rebuilt.Built);
        Assert.NotEqual(original.Manifest.BuildId, rebuilt.Manifest.BuildId);
        Assert.Equal(2, fixture.Seeds);
    }

    [Theory]
    [InlineData("\"sha256\": \"", "\"sha256\": \"XYZ", "/files/0/sha256")]
    [InlineData("\"planHash\": \"plan-a\"", "\"planHash\": \"plan-z\"", "/key")]
    [InlineData("\"files\": [", "\"surprise\": 1, \"files\": [", "surprise")]
    [InlineData("\"files\": [", "\"files\": [ nonsense", "/files")]
    public async Task An_invalid_manifest_is_reported_with_its_JSON_pointer_and_never_trusted(string find, string replace, string expected)
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("manifest");
        SnapshotRequest request = fixture.Request(objects: 1);
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(request, ct);
        string path = Path.Combine(snapshot.Directory, "manifest.json");
        string text = await File.ReadAllTextAsync(path, ct);
        Assert.Contains(find, text, StringComparison.Ordinal);
        StoreFixture.Tamper(path, System.Text.Encoding.UTF8.GetBytes(ReplaceFirst(text, find, replace)));

        SnapshotCorruptException ex = await Assert.ThrowsAsync<SnapshotCorruptException>(() => fixture.Store.ValidateAsync(snapshot, TestEngines.Embedded, ct));

        Assert.Equal("manifest.json", ex.File);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Null(fixture.Store.TryGet(request));
        Assert.True((await fixture.Store.GetOrBuildAsync(request, ct)).Built);
    }

    private static string ReplaceFirst(string text, string find, string replace)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replace + text[(at + find.Length)..];
    }

    [Fact]
    public async Task Validate_rejects_a_snapshot_made_by_another_engine()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("engine-mismatch");
        Snapshot snapshot = await fixture.Store.GetOrBuildAsync(fixture.Request(objects: 1), ct);
        var kumo = new EngineDefinition(EngineKind.KumoBinary, "kumo", "0.32.0", "/usr/local/bin/kumo");
        var newerEmbedded = new EngineDefinition(EngineKind.Embedded, snapshot.Manifest.Engine.Name, "9.9.9", TestEngines.Embedded.FileName, TestEngines.Embedded.Arguments);

        SnapshotMismatchException other = await Assert.ThrowsAsync<SnapshotMismatchException>(() => fixture.Store.ValidateAsync(snapshot, kumo, ct));
        SnapshotMismatchException newer = await Assert.ThrowsAsync<SnapshotMismatchException>(() => fixture.Store.ValidateAsync(snapshot, newerEmbedded, ct));

        Assert.Contains($"made by kumo-embedded {snapshot.Manifest.Engine.Version}", other.Message, StringComparison.Ordinal);
        Assert.Contains("the engine is kumo 0.32.0", other.Message, StringComparison.Ordinal);
        Assert.Contains("9.9.9", newer.Message, StringComparison.Ordinal);
        await fixture.Store.ValidateAsync(snapshot, TestEngines.Embedded, ct);
    }

    [Fact]
    public async Task A_failing_seed_or_verify_publishes_nothing_and_names_the_phase()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("seed-fails");
        SnapshotRequest failingSeed = fixture.Request() with { Seed = (_, _) => throw new InvalidOperationException("bucket plan is broken") };
        SnapshotRequest failingVerify = fixture.Request(fixture: "verify", verify: async (endpoint, token) =>
        {
            List<string> keys = await TestS3.ListKeysAsync(endpoint, token);
            throw new InvalidOperationException($"expected 99 objects, found {keys.Count}");
        });

        SnapshotBuildException seed = await Assert.ThrowsAsync<SnapshotBuildException>(() => fixture.Store.GetOrBuildAsync(failingSeed, ct));
        SnapshotBuildException verify = await Assert.ThrowsAsync<SnapshotBuildException>(() => fixture.Store.GetOrBuildAsync(failingVerify, ct));

        Assert.Equal("seed", seed.Phase);
        Assert.Contains("bucket plan is broken", seed.Message, StringComparison.Ordinal);
        Assert.Contains("engine log lines", seed.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(seed.InnerException);
        Assert.Equal("verify", verify.Phase);
        Assert.Contains("expected 99 objects, found 3", verify.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(fixture.Store.Root, fixture.Store.KeyFor(failingSeed))));
        Assert.False(Directory.Exists(Path.Combine(fixture.Store.Root, fixture.Store.KeyFor(failingVerify))));
        Assert.Empty(Directory.GetDirectories(fixture.Store.Root, AtomicFile.TemporaryPrefix + "*"));
        Assert.Empty(fixture.Store.List());
    }

    [Fact]
    public async Task An_engine_that_fails_to_start_fails_the_build_with_its_log()
    {
        CancellationToken ct = TestContext.Current.CancellationToken;
        using var fixture = new StoreFixture("engine-fails");
        SnapshotRequest request = fixture.Request(engine: TestEngines.Script("echo 'no such engine build' >&2; exit 4"));

        SnapshotBuildException ex = await Assert.ThrowsAsync<SnapshotBuildException>(() => fixture.Store.GetOrBuildAsync(request, ct));

        Assert.Equal("engine-start", ex.Phase);
        Assert.Contains("Exit code: 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no such engine build", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.Seeds);
        Assert.Empty(Directory.GetDirectories(fixture.Store.Root, AtomicFile.TemporaryPrefix + "*"));
    }
}
