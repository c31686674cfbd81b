using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// A receipt handle: which queue and message a receive returned, and which receive it was.
/// </summary>
/// <remarks>
/// The handle is opaque to clients (base64url). It names the queue so a handle used on another queue
/// is rejected, and carries the receive's nonce so only the latest receive of a message can change it,
/// as in SQS. It survives a restart because it holds no server-side secret.
/// </remarks>
internal readonly record struct ReceiptHandle(string QueueName, string MessageId, int Nonce)
{
    private const string Magic = "kumo1";

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{Magic}\n{QueueName}\n{MessageId}\n{Nonce}")));

    public static bool TryDecode(string? text, out ReceiptHandle handle)
    {
        handle = default;
        if (string.IsNullOrEmpty(text) || text.Length > 1024 || !Base64Url.IsValid(text))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        string[] parts = decoded.Split('\n');
        if (parts.Length != 4 || parts[0] != Magic || parts[1].Length == 0 || parts[2].Length == 0
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int nonce))
        {
            return false;
        }

        handle = new ReceiptHandle(parts[1], parts[2], nonce);
        return true;
    }
}
