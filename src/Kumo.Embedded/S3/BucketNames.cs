using Kumo.Contract;

namespace Kumo.Embedded.S3;

/// <summary>S3's bucket naming rules as kumo accepts them (the contract's <see cref="NameStrictness.Kumo"/>), checked before a bucket is created.</summary>
internal static class BucketNames
{
    /// <summary>Returns null when <paramref name="name"/> is valid, else the rule it breaks.</summary>
    public static string? Violation(string name) => AwsNameRules.BucketNameProblem(name, NameStrictness.Kumo);
}
