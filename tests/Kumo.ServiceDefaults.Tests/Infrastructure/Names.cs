namespace Kumo.ServiceDefaults.Tests.Infrastructure;

/// <summary>Unique, S3- and SQS-valid resource names, so parallel tests never share a bucket or queue.</summary>
internal static class Names
{
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
}
