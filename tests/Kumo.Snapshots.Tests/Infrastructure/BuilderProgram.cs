using System.Globalization;
using Kumo.Engines;

namespace Kumo.Snapshots.Tests;

/// <summary>
/// The child-process mode of the test app: builds (or reuses) one snapshot and reports on stdout.
/// Prints <c>PHASE &lt;name&gt;</c> as each build phase is reached, <c>PAUSED &lt;name&gt;</c> and
/// blocks forever at <c>--pause-at</c>, and <c>RESULT built=&lt;bool&gt; key=&lt;key&gt; buildId=&lt;id&gt;</c> at the end.
/// </summary>
internal static class BuilderProgram
{
    public const string Flag = "--snapshot-builder";

    public static int Run(string[] args)
    {
        try
        {
            BuilderOptions options = BuilderOptions.Parse(args);
            var engine = new EngineDefinition(EngineKind.Embedded, options.EngineName, options.EngineVersion, options.EngineFile, options.EngineArguments);
            var store = new SnapshotStore(options.Root)
            {
                PhaseHook = phase =>
                {
                    Console.Out.WriteLine("PHASE " + phase);
                    if (phase == options.PauseAt)
                    {
                        Console.Out.WriteLine("PAUSED " + phase);
                        Thread.Sleep(Timeout.Infinite);
                    }
                },
            };
            var request = new SnapshotRequest
            {
                PlanHash = options.PlanHash,
                FixtureVersion = options.Fixture,
                Engine = engine,
                LockTimeout = TimeSpan.FromMinutes(2),
                Seed = async (endpoint, ct) =>
                {
                    File.AppendAllText(options.Marker, string.Create(CultureInfo.InvariantCulture, $"seed pid={Environment.ProcessId}\n"));
                    await TestS3.SeedAsync(endpoint, options.Objects, options.Fixture, ct);
                },
            };

            Snapshot snapshot = store.GetOrBuildAsync(request).GetAwaiter().GetResult();
            Console.Out.WriteLine($"RESULT built={snapshot.Built} key={snapshot.Key} buildId={snapshot.Manifest.BuildId}");
            return 0;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine("BUILDER FAILED: " + ex);
            return 1;
        }
    }
}

/// <summary>The command line of a builder child process.</summary>
internal sealed record BuilderOptions
{
    public required string Root { get; init; }

    public required string PlanHash { get; init; }

    public required string Fixture { get; init; }

    public required int Objects { get; init; }

    public required string Marker { get; init; }

    public required string EngineName { get; init; }

    public required string EngineVersion { get; init; }

    public required string EngineFile { get; init; }

    public IReadOnlyList<string> EngineArguments { get; init; } = [];

    public string? PauseAt { get; init; }

    public static BuilderOptions For(EngineDefinition engine, string root, string fixture, int objects, string marker, string? pauseAt = null, string planHash = "plan-crash-test")
        => new()
        {
            Root = root,
            PlanHash = planHash,
            Fixture = fixture,
            Objects = objects,
            Marker = marker,
            EngineName = engine.Name,
            EngineVersion = engine.Version,
            EngineFile = engine.FileName,
            EngineArguments = engine.Arguments,
            PauseAt = pauseAt,
        };

    public IEnumerable<string> ToArguments()
    {
        yield return BuilderProgram.Flag;
        yield return "--root";
        yield return Root;
        yield return "--plan";
        yield return PlanHash;
        yield return "--fixture";
        yield return Fixture;
        yield return "--objects";
        yield return Objects.ToString(CultureInfo.InvariantCulture);
        yield return "--marker";
        yield return Marker;
        yield return "--engine-name";
        yield return EngineName;
        yield return "--engine-version";
        yield return EngineVersion;
        yield return "--engine-file";
        yield return EngineFile;
        foreach (string argument in EngineArguments)
        {
            yield return "--engine-arg";
            yield return argument;
        }

        if (PauseAt is not null)
        {
            yield return "--pause-at";
            yield return PauseAt;
        }
    }

    public static BuilderOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var engineArguments = new List<string>();
        for (int i = 1; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Flag '{args[i]}' has no value.");
            }

            if (args[i] == "--engine-arg")
            {
                engineArguments.Add(args[i + 1]);
            }
            else
            {
                values[args[i]] = args[i + 1];
            }
        }

        string Required(string name) => values.TryGetValue(name, out string? value) ? value : throw new ArgumentException($"Missing {name}.");
        return new BuilderOptions
        {
            Root = Required("--root"),
            PlanHash = Required("--plan"),
            Fixture = Required("--fixture"),
            Objects = int.Parse(Required("--objects"), CultureInfo.InvariantCulture),
            Marker = Required("--marker"),
            EngineName = Required("--engine-name"),
            EngineVersion = Required("--engine-version"),
            EngineFile = Required("--engine-file"),
            EngineArguments = engineArguments,
            PauseAt = values.GetValueOrDefault("--pause-at"),
        };
    }
}
