namespace Kumo.Embedded.Protocol;

/// <summary>Generates request ids in the shape AWS uses, so logs can correlate client and server.</summary>
internal static class RequestIds
{
    /// <summary>A new id: an upper-case GUID, formatted in place (one string per request).</summary>
    public static string Next() => string.Create(36, Guid.NewGuid(), static (chars, id) =>
    {
        id.TryFormat(chars, out _, "D");
        System.Text.Ascii.ToUpperInPlace(chars, out _);
    });
}
