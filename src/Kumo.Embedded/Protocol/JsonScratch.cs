using System.Buffers;
using System.Text.Json;

namespace Kumo.Embedded.Protocol;

/// <summary>
/// A thread's reusable JSON writer for an answer that is built and copied out without an <c>await</c> in between
/// (<see cref="AwsJson.SendAsync"/> copies it into the response pipe): no writer, buffer or array per answer.
/// </summary>
/// <remarks>
/// A buffer grown past <see cref="MaxKeptCapacity"/> by a large answer (a ReceiveMessage of ten 256 KiB messages) is
/// let go after that answer, so no socket thread keeps megabytes.
/// </remarks>
internal static class JsonScratch
{
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Starts an answer: the thread's writer, empty. Finish it with <see cref="Written"/> before any <c>await</c>.</summary>
    public static Utf8JsonWriter Begin()
    {
        ArrayBufferWriter<byte> buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Utf8JsonWriter? writer = t_writer;
        if (writer is null)
        {
            t_writer = writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        return writer;
    }

    /// <summary>The answer written since <see cref="Begin"/>; valid until the thread's next <see cref="Begin"/>.</summary>
    public static ReadOnlySpan<byte> Written()
    {
        Utf8JsonWriter writer = t_writer ?? throw new InvalidOperationException("JsonScratch.Written called before Begin.");
        ArrayBufferWriter<byte> buffer = t_buffer!;
        writer.Flush();
        ReadOnlySpan<byte> written = buffer.WrittenSpan;
        if (buffer.Capacity > MaxKeptCapacity)
        {
            // The span still points into the array; only the thread's reference to it goes.
            t_buffer = null;
            t_writer = null;
        }

        return written;
    }
}
