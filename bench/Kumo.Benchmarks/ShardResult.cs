namespace Kumo.Benchmarks;

/// <summary>What one shard process reports (one JSON line on stdout).</summary>
internal sealed record ShardResult(string Shard, Dictionary<string, double> Phases, double DiskKiB, List<string> CrossTalk);
