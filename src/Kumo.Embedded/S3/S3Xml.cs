using System.Buffers;
using System.Globalization;
using System.Text;
using System.Xml;

namespace Kumo.Embedded.S3;

/// <summary>Builds S3 XML documents into a pooled buffer.</summary>
/// <remarks>
/// Keys may hold any character S3 accepts, including control characters XML 1.0 cannot carry
/// literally. As S3 does, they are written as character references (<c>&amp;#x1;</c>): the writer
/// does not check characters. A lone surrogate (which no UTF-8 key can produce) is written as U+FFFD.
/// </remarks>
internal sealed class S3Xml : IDisposable
{
    public const string Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false, Async = false, CheckCharacters = false };
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Stream _stream;

    public S3Xml(string root, bool withNamespace = true)
    {
        _stream = new BufferStream(_buffer);
        Writer = XmlWriter.Create(_stream, Settings);
        Writer.WriteStartDocument();
        if (withNamespace)
        {
            Writer.WriteStartElement(root, Namespace);
        }
        else
        {
            Writer.WriteStartElement(root);
        }
    }

    public XmlWriter Writer { get; }

    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public S3Xml Element(string name, string? value)
    {
        if (value is not null)
        {
            Writer.WriteElementString(name, WellFormedUtf16(value));
        }

        return this;
    }

    /// <summary>Replaces unpaired surrogates with U+FFFD; returns <paramref name="value"/> itself when it has none.</summary>
    public static string WellFormedUtf16(string value)
    {
        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        foreach (Rune rune in value.EnumerateRunes())
        {
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    public S3Xml Element(string name, long value) => Element(name, value.ToString(CultureInfo.InvariantCulture));

    public S3Xml Element(string name, bool value) => Element(name, value ? "true" : "false");

    public S3Xml Start(string name)
    {
        Writer.WriteStartElement(name);
        return this;
    }

    public S3Xml End()
    {
        Writer.WriteEndElement();
        return this;
    }

    public ReadOnlyMemory<byte> Finish()
    {
        Writer.WriteEndElement();
        Writer.WriteEndDocument();
        Writer.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose()
    {
        Writer.Dispose();
        _stream.Dispose();
    }

    private sealed class BufferStream(ArrayBufferWriter<byte> buffer) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => buffer.WrittenCount;

        public override long Position
        {
            get => buffer.WrittenCount;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer1, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] source, int offset, int count) => buffer.Write(source.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> source) => buffer.Write(source);
    }
}
