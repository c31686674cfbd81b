namespace Kumo.Seeding;

/// <summary>Where the bytes of an <see cref="ObjectSeed"/> come from.</summary>
public enum ObjectSourceKind
{
    /// <summary>Inline text, stored as UTF-8 (<see cref="ObjectSeed.Text"/>).</summary>
    Text,

    /// <summary>One file, relative to the plan's base directory (<see cref="ObjectSeed.Path"/>).</summary>
    File,

    /// <summary>
    /// Every file under a directory, one object per file, keyed by <see cref="ObjectSeed.Key"/> (the prefix)
    /// followed by the file's relative path with <c>/</c> separators.
    /// </summary>
    Directory,
}
