using System.Globalization;
using System.Text;

namespace Kumo.Benchmarks;

/// <summary>Samples of one measured quantity, summarised by median and spread.</summary>
internal sealed class Samples(string name, string unit)
{
    private readonly List<double> _values = [];

    public string Name { get; } = name;

    public string Unit { get; } = unit;

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public double Median => Percentile(50);

    public double Min => _values.Min();

    public double Max => _values.Max();

    public double Percentile(double p)
    {
        if (_values.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. _values.Order()];
        double rank = p / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}

/// <summary>Writes a result table as Markdown, to the console and to bench/results.</summary>
internal sealed class Report(string title)
{
    private readonly StringBuilder _text = new();
    private readonly List<string> _notes = [];

    public void Table(IEnumerable<Samples> rows)
    {
        _text.AppendLine("| measurement | unit | n | median | p10 | p90 | min | max |");
        _text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (Samples s in rows)
        {
            _text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Unit} | {s.Count} | {s.Median:0.##} | {s.Percentile(10):0.##} | {s.Percentile(90):0.##} | {s.Min:0.##} | {s.Max:0.##} |");
        }

        _text.AppendLine();
    }

    /// <summary>A latency table: median, p90, p99 and max.</summary>
    public void LatencyTable(IEnumerable<Samples> rows)
    {
        _text.AppendLine("| measurement | unit | n | median | p90 | p99 | max |");
        _text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (Samples s in rows)
        {
            _text.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {s.Unit} | {s.Count} | {s.Median:0.##} | {s.Percentile(90):0.##} | {s.Percentile(99):0.##} | {s.Max:0.##} |");
        }

        _text.AppendLine();
    }

    /// <summary>Raw Markdown lines (e.g. a table built by the caller).</summary>
    public void Lines(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            _text.AppendLine(line);
        }

        _text.AppendLine();
    }

    public void Note(string line) => _notes.Add(line);

    public void Save(string file)
    {
        var document = new StringBuilder();
        document.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        document.AppendLine();
        document.AppendLine(CultureInfo.InvariantCulture, $"Recorded {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}. All rows come from one run.");
        document.AppendLine();
        document.Append(_text);
        foreach (string note in _notes)
        {
            document.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        string text = document.ToString();
        Console.WriteLine(text);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
    }
}
