namespace Kumo.Seeding;

/// <summary>Normalisations shared by the manifest parser and the fluent builder.</summary>
internal static class ObjectSeedFactory
{
    /// <summary>A non-empty key prefix always ends in '/' so that "static" and "static/" mean the same.</summary>
    public static string NormalizePrefix(string prefix) => prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
}
