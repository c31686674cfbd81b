using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kumo.Embedded.Protocol;

/// <summary>
/// A thread's reusable JSON writer for a document that is built and copied out without an <c>await</c> in between: no
/// writer, buffer or array per document. Each thread has two, so that one use never overwrites the other's document:
/// <see cref="Answer"/> for a response (<see cref="AwsJson.Send"/> copies it into the response pipe) and
/// <see cref="Record"/> for a journal record (the journal copies it into its batch).
/// </summary>
/// <remarks>
/// A buffer grown past <see cref="MaxKeptCapacity"/> by a large document (a ReceiveMessage of ten 256 KiB messages, or
/// the record of a 256 KiB message) is let go after that document, so no socket thread keeps megabytes.
/// </remarks>
internal sealed class JsonScratch
{
    private const int MaxKeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static JsonScratch? t_answer;

    [ThreadStatic]
    private static JsonScratch? t_record;

    private ArrayBufferWriter<byte>? _buffer;
    private Utf8JsonWriter? _writer;

    private JsonScratch()
    {
    }

    /// <summary>The thread's writer for a response.</summary>
    public static JsonScratch Answer => t_answer ??= new JsonScratch();

    /// <summary>The thread's writer for a journal record.</summary>
    public static JsonScratch Record => t_record ??= new JsonScratch();

    /// <summary>Starts a document: the writer, empty. Finish it with <see cref="Written"/> before any <c>await</c>.</summary>
    public Utf8JsonWriter Begin()
    {
        ArrayBufferWriter<byte> buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Utf8JsonWriter? writer = _writer;
        if (writer is null)
        {
            _writer = writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        return writer;
    }

    /// <summary>The document written since <see cref="Begin"/>; valid until this writer's next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> Written()
    {
        Utf8JsonWriter writer = _writer ?? throw new InvalidOperationException("JsonScratch.Written called before Begin.");
        ArrayBufferWriter<byte> buffer = _buffer!;
        writer.Flush();
        ReadOnlySpan<byte> written = buffer.WrittenSpan;
        if (buffer.Capacity > MaxKeptCapacity)
        {
            // The span still points into the array; only this writer's reference to it goes.
            _buffer = null;
            _writer = null;
        }

        return written;
    }

    /// <summary><paramref name="value"/> as JSON, valid until this writer's next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> Serialize<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        JsonSerializer.Serialize(Begin(), value, typeInfo);
        return Written();
    }
}
