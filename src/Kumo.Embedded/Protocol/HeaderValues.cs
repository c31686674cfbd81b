namespace Kumo.Embedded.Protocol;

/// <summary>Which strings the engine can send back as an HTTP response header value.</summary>
/// <remarks>
/// Kestrel refuses (with an exception, i.e. a 500) to write a response header holding a control
/// character or a non-ASCII character. Anything the engine echoes from a request into a response
/// header (stored content headers, user metadata, <c>response-*</c> overrides) is checked here first
/// and refused with a 400 instead.
/// </remarks>
internal static class HeaderValues
{
    /// <summary>True when every character is printable ASCII or a tab.</summary>
    public static bool CanSend(string value)
    {
        foreach (char c in value)
        {
            if ((c < 0x20 && c != '\t') || c >= 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
