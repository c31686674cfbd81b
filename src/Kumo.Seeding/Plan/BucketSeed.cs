namespace Kumo.Seeding;

/// <summary>A bucket to create (when missing) and the objects to put into it.</summary>
/// <remarks>
/// The name may contain the placeholders <c>{run}</c> and <c>{worker}</c>; they are replaced when the
/// plan is resolved with a <see cref="SeedContext"/> (see <see cref="SeedPlan.Resolve"/>).
/// </remarks>
public sealed class BucketSeed
{
    internal BucketSeed(string name, IReadOnlyList<ObjectSeed> objects, SeedLocation location)
    {
        Name = name;
        Objects = objects;
        Location = location;
    }

    /// <summary>The bucket name, possibly with <c>{run}</c>/<c>{worker}</c> placeholders.</summary>
    public string Name { get; }

    /// <summary>The objects, as written (directory sources not yet expanded).</summary>
    public IReadOnlyList<ObjectSeed> Objects { get; }

    internal SeedLocation Location { get; }

    /// <summary>Expands directory sources: one entry per concrete object, ordered ordinally by key.</summary>
    internal IReadOnlyList<PlannedObject> Expand()
    {
        var result = new List<PlannedObject>();
        foreach (ObjectSeed seed in Objects)
        {
            switch (seed.Kind)
            {
                case ObjectSourceKind.Text:
                    result.Add(new PlannedObject(seed.Key, seed, null, seed.ContentType ?? ContentTypes.InlineDefault));
                    break;
                case ObjectSourceKind.File:
                    result.Add(new PlannedObject(seed.Key, seed, seed.FullPath, seed.ContentType ?? ContentTypes.For(seed.Key, seed.Path)));
                    break;
                default:
                    foreach (DirectoryFile file in seed.Files)
                    {
                        string key = seed.Key + file.RelativePath;
                        result.Add(new PlannedObject(key, seed, file.FullPath, seed.ContentType ?? ContentTypes.For(key, file.RelativePath)));
                    }

                    break;
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }
}

/// <summary>One concrete object of a bucket after directory expansion.</summary>
/// <param name="Key">The object key.</param>
/// <param name="Seed">The entry it comes from.</param>
/// <param name="FullPath">The file holding its bytes, or null for inline text.</param>
/// <param name="ContentType">The effective content type.</param>
internal sealed record PlannedObject(string Key, ObjectSeed Seed, string? FullPath, string ContentType);
