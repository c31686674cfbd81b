namespace Kumo.Seeding;

/// <summary>Collects the errors of one manifest or plan, then throws them together.</summary>
internal sealed class SeedErrors
{
    private readonly List<SeedManifestError> _errors = [];

    public SeedErrors(string? filePath) => FilePath = filePath;

    public string? FilePath { get; }

    public int Count => _errors.Count;

    public void Add(string pointer, int? line, string problem, string fix) => _errors.Add(new SeedManifestError(FilePath, pointer, line, problem, fix));

    /// <summary>Adds an error about the field <paramref name="field"/> of the element at <paramref name="location"/>.</summary>
    public void Add(SeedLocation location, string? field, string problem, string fix) =>
        Add(field is null ? location.Pointer : location.PointerOf(field), field is null ? location.Line : location.LineOf(field), problem, fix);

    public void ThrowIfAny(Exception? inner = null)
    {
        if (_errors.Count > 0)
        {
            SeedManifestError[] ordered = [.. _errors.OrderBy(e => e.Line ?? int.MaxValue).ThenBy(e => e.JsonPointer, PointerOrder.Instance)];
            throw new SeedManifestException(ordered, inner);
        }
    }
}

/// <summary>Orders JSON pointers by document position: segment by segment, array indexes numerically.</summary>
internal sealed class PointerOrder : IComparer<string>
{
    public static readonly PointerOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        string[] a = (x ?? string.Empty).Split('/');
        string[] b = (y ?? string.Empty).Split('/');
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            int order = int.TryParse(a[i], out int left) && int.TryParse(b[i], out int right) ? left.CompareTo(right) : string.CompareOrdinal(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
