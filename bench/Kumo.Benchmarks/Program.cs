using System.Globalization;
using Kumo.Benchmarks;

// Usage: dotnet run -c Release --project bench/Kumo.Benchmarks -- <startup|throughput|dynamodb|dynamodb-seeding|seeding|restore|first-answer|shards|durability> --artifacts <dir> [--iterations N] [--reseeds N] [--shards N] [--kills N] [--objects N] [--soak-out <file.md>] [--scratch <dir>] [--label <text>] [--out <file.md>]
// bench/run.sh publishes the artifacts (JIT and AOT builds of the engine and of a minimal Kestrel app) and runs everything.
if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: Kumo.Benchmarks <startup|throughput|dynamodb|dynamodb-seeding|seeding|restore|first-answer|shards|durability> --artifacts <dir> [--iterations N] [--reseeds N] [--shards N] [--kills N] [--objects N] [--soak-out <file.md>] [--scratch dir] [--label text] [--out file.md]");
    return 2;
}

string Option(string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

string artifacts = Path.GetFullPath(Option("--artifacts", "artifacts/bench"));
int iterations = int.Parse(Option("--iterations", "15"), CultureInfo.InvariantCulture);
string results = Path.GetFullPath(Option("--results", "bench/results"));
string scratch = Option("--scratch", Path.GetTempPath());
string? label = Option("--label", string.Empty) is { Length: > 0 } given ? given : null;

switch (args[0])
{
    case ShardWorker.Verb:
        return await ShardWorker.RunAsync(args[1], args[2], args[3]);
    case "shards":
        await ShardsBenchmark.RunAsync(artifacts, scratch, iterations, int.Parse(Option("--shards", "4"), CultureInfo.InvariantCulture), Option("--out", Path.Combine(results, "shards.md")));
        return 0;
    case "startup":
        await StartupBenchmark.RunAsync(artifacts, iterations, Option("--out", Path.Combine(results, "startup.md")));
        return 0;
    case "throughput":
        await ThroughputBenchmark.RunAsync(artifacts, iterations, Option("--out", Path.Combine(results, "throughput.md")));
        return 0;
    case "dynamodb":
        await DynamoDbThroughputBenchmark.RunAsync(artifacts, iterations, Option("--out", Path.Combine(results, "dynamodb.md")));
        return 0;
    case "dynamodb-seeding":
        await DynamoDbSeedingBenchmark.RunAsync(artifacts, scratch, iterations, Option("--out", Path.Combine(results, "dynamodb-seeding.md")));
        return 0;
    case "seeding":
        await SeedingBenchmark.RunAsync(artifacts, scratch, iterations, label, Option("--out", Path.Combine(results, "seeding.md")));
        return 0;
    case "durability":
        await DurabilityBenchmark.RunAsync(
            artifacts,
            scratch,
            iterations,
            int.Parse(Option("--kills", "20"), CultureInfo.InvariantCulture),
            int.Parse(Option("--objects", "20000"), CultureInfo.InvariantCulture),
            Option("--out", Path.Combine(results, "durability-cost.md")),
            Option("--soak-out", Path.Combine(results, "durability-soak.md")));
        return 0;
    case "restore":
        await RestoreBenchmark.RunAsync(artifacts, scratch, iterations, int.Parse(Option("--reseeds", "3"), CultureInfo.InvariantCulture), label, Option("--out", Path.Combine(results, "restore.md")));
        return 0;
    case "first-answer":
        await FirstAnswerBenchmark.RunAsync(scratch, iterations, Option("--out", Path.Combine(results, "first-answer.md")));
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{args[0]}'. Known: startup, throughput, dynamodb, dynamodb-seeding, seeding, restore, first-answer, shards, durability.");
        return 2;
}
