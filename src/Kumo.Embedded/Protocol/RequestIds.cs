namespace Kumo.Embedded.Protocol;

/// <summary>Generates request ids in the shape AWS uses, so logs can correlate client and server.</summary>
internal static class RequestIds
{
    public static string Next() => Guid.NewGuid().ToString("D").ToUpperInvariant();
}
