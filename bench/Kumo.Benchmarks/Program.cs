using System.Globalization;
using Kumo.Benchmarks;

// Usage: dotnet run -c Release --project bench/Kumo.Benchmarks -- <startup|throughput> --artifacts <dir> [--iterations N] [--out <file.md>]
// bench/run.sh publishes the artifacts (JIT and AOT builds of the engine and of a minimal Kestrel app) and runs everything.
if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: Kumo.Benchmarks <startup|throughput> --artifacts <dir> [--iterations N] [--out file.md]");
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

switch (args[0])
{
    case "startup":
        await StartupBenchmark.RunAsync(artifacts, iterations, Option("--out", Path.Combine(results, "startup.md")));
        return 0;
    case "throughput":
        await ThroughputBenchmark.RunAsync(artifacts, iterations, Option("--out", Path.Combine(results, "throughput.md")));
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{args[0]}'. Known: startup, throughput.");
        return 2;
}
