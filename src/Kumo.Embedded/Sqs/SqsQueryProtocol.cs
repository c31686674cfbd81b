using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Kumo.Embedded.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Kumo.Embedded.Sqs;

/// <summary>
/// SQS over the query protocol: form-encoded <c>Action=...&amp;Version=2012-11-05</c> in, XML out.
/// </summary>
/// <remarks>
/// <para>
/// Parameters are normalized to the JSON protocol's shape so both protocols share one
/// implementation: <c>Attribute.N.Name/Value</c> becomes the map <c>Attributes</c>,
/// <c>MessageAttribute.N.Name</c> + <c>MessageAttribute.N.Value.DataType</c> the map
/// <c>MessageAttributes</c>, <c>SendMessageBatchRequestEntry.N.*</c> the list <c>Entries</c>, and so on.
/// </para>
/// <para>
/// Responses are <c>&lt;XxxResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"&gt;&lt;XxxResult&gt;...
/// &lt;/XxxResult&gt;&lt;ResponseMetadata&gt;&lt;RequestId/&gt;&lt;/ResponseMetadata&gt;&lt;/XxxResponse&gt;</c>
/// and errors <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;&lt;/ErrorResponse&gt;</c>.
/// </para>
/// </remarks>
internal static class SqsQueryProtocol
{
    internal const string Namespace = "http://queue.amazonaws.com/doc/2012-11-05/";
    private const string ContentType = "text/xml";

    /// <summary>The form body's parameters, then any query-string parameters not in the body.</summary>
    public static Dictionary<string, string> ReadParameters(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.Length > 0)
        {
            foreach ((string key, StringValues values) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[key] = values.ToString();
            }
        }

        foreach ((string key, StringValues values) in request.Query)
        {
            parameters.TryAdd(key, values.ToString());
        }

        return parameters;
    }

    /// <summary>Builds the JSON-protocol-shaped input for <paramref name="action"/> from flat query parameters.</summary>
    public static JsonDocument Normalize(IReadOnlyDictionary<string, string> parameters, string action)
    {
        var items = new List<Parameter>(parameters.Count);
        foreach ((string key, string value) in parameters)
        {
            if (key is "Action" or "Version" || key.Length == 0)
            {
                continue;
            }

            items.Add(new Parameter(key.Split('.'), 0, value));
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteMembers(writer, items, action);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    public static void WriteResult(HttpContext context, string action, SqsStructure result, string requestId) =>
        Send(context, StatusCodes.Status200OK, requestId, writer =>
        {
            writer.WriteStartElement(action + "Response", Namespace);
            if (result.Members.Count > 0)
            {
                writer.WriteStartElement(action + "Result");
                WriteMembers(writer, result);
                writer.WriteEndElement();
            }

            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        });

    public static void WriteError(HttpContext context, AwsServiceException error, string requestId) =>
        Send(context, error.StatusCode, requestId, writer =>
        {
            writer.WriteStartElement("ErrorResponse", Namespace);
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", error.IsSenderFault ? "Sender" : "Receiver");
            writer.WriteElementString("Code", error.QueryCode ?? error.Code);
            writer.WriteElementString("Message", XmlSafe(error.Message));
            writer.WriteElementString("Detail", string.Empty);
            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        });

    private static void WriteMembers(Utf8JsonWriter writer, List<Parameter> items, string action)
    {
        foreach (IGrouping<string, Parameter> group in items.GroupBy(p => p.Head, StringComparer.Ordinal))
        {
            string name = group.Key;
            List<Parameter> nested = [.. group.Where(p => !p.IsLeaf)];
            if (nested.Count == 0)
            {
                writer.WriteString(name, group.Last().Value);
                continue;
            }

            switch (name)
            {
                case "Attribute":
                    WriteStringMap(writer, "Attributes", nested, "Name", "Value");
                    break;
                case "Tag":
                    WriteStringMap(writer, action == "CreateQueue" ? "tags" : "Tags", nested, "Key", "Value");
                    break;
                case "TagKey" or "AttributeName" or "MessageSystemAttributeName" or "MessageAttributeName":
                    WriteStringList(writer, name + "s", nested);
                    break;
                case "MessageAttribute" or "MessageSystemAttribute":
                    WriteStructureMap(writer, name + "s", nested, action);
                    break;
                case var entry when entry.EndsWith("RequestEntry", StringComparison.Ordinal):
                    writer.WriteStartArray("Entries");
                    foreach (List<Parameter> element in Indexed(nested))
                    {
                        writer.WriteStartObject();
                        WriteMembers(writer, element, action);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    break;
                default:
                    // Not a parameter of any implemented action; the JSON protocol would ignore it too.
                    break;
            }
        }
    }

    private static void WriteStringList(Utf8JsonWriter writer, string name, List<Parameter> items)
    {
        writer.WriteStartArray(name);
        foreach (List<Parameter> element in Indexed(items))
        {
            if (element.FirstOrDefault(p => p.IsLeaf) is { Segments: not null } leaf)
            {
                writer.WriteStringValue(leaf.Value);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteStringMap(Utf8JsonWriter writer, string name, List<Parameter> items, string keyField, string valueField)
    {
        writer.WriteStartObject(name);
        foreach (List<Parameter> entry in Indexed(items))
        {
            string? key = entry.LastOrDefault(p => p.IsLeaf && p.Head == keyField).Value;
            if (key is not null)
            {
                writer.WriteString(key, entry.LastOrDefault(p => p.IsLeaf && p.Head == valueField).Value ?? string.Empty);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteStructureMap(Utf8JsonWriter writer, string name, List<Parameter> items, string action)
    {
        writer.WriteStartObject(name);
        foreach (List<Parameter> entry in Indexed(items))
        {
            string? key = entry.LastOrDefault(p => p.IsLeaf && p.Head == "Name").Value;
            if (key is null)
            {
                continue;
            }

            writer.WriteStartObject(key);
            WriteMembers(writer, [.. entry.Where(p => !p.IsLeaf && p.Head == "Value").Select(p => p.Next())], action);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Groups <c>Name.N.rest</c> parameters by N (1-based, in numeric order) and strips <c>Name.N</c>.</summary>
    private static IEnumerable<List<Parameter>> Indexed(List<Parameter> items)
    {
        var byIndex = new SortedDictionary<int, List<Parameter>>();
        foreach (Parameter item in items)
        {
            Parameter afterName = item.Next();
            if (!int.TryParse(afterName.Head, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index < 1)
            {
                throw SqsErrors.InvalidParameterValue(string.Join('.', item.Segments), afterName.Head, "List and map parameters are numbered from 1, e.g. Attribute.1.Name.");
            }

            if (!byIndex.TryGetValue(index, out List<Parameter>? group))
            {
                byIndex[index] = group = [];
            }

            group.Add(afterName.IsLeaf ? afterName : afterName.Next());
        }

        return byIndex.Values;
    }

    private static void WriteMembers(XmlWriter writer, SqsStructure structure)
    {
        foreach (SqsMember member in structure.Members)
        {
            WriteMember(writer, member.XmlName, member.Value);
        }
    }

    private static void WriteMember(XmlWriter writer, string name, SqsNode node)
    {
        switch (node)
        {
            case SqsText text:
                writer.WriteElementString(name, XmlSafe(text.Value));
                break;
            case SqsBoolean boolean:
                writer.WriteElementString(name, boolean.Value ? "true" : "false");
                break;
            case SqsStructure structure:
                writer.WriteStartElement(name);
                WriteMembers(writer, structure);
                writer.WriteEndElement();
                break;
            case SqsList list:
                foreach (SqsNode item in list.Items)
                {
                    WriteMember(writer, list.XmlItemName, item);
                }

                break;
            case SqsMap map:
                foreach ((string key, SqsNode value) in map.Entries)
                {
                    writer.WriteStartElement(map.XmlEntryName);
                    writer.WriteElementString(map.XmlKeyName, XmlSafe(key));
                    WriteMember(writer, map.XmlValueName, value);
                    writer.WriteEndElement();
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown SQS result node {node.GetType().Name}.");
        }
    }

    /// <summary>Replaces characters XML 1.0 cannot carry (only possible in echoed client input) with U+FFFD.</summary>
    private static string XmlSafe(string text)
    {
        if (MessageContents.FindInvalidCharacter(text) is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (c is '\t' or '\n' or '\r' || (c >= 0x20 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('\uFFFD');
            }
        }

        return builder.ToString();
    }

    private static void Send(HttpContext context, int status, string requestId, Action<XmlWriter> write)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, Async = false };
        using (var writer = XmlWriter.Create(buffer, settings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["x-amzn-RequestId"] = requestId;
        ResponseBody.Write(response, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>A query parameter split at dots, read from <see cref="Offset"/> on.</summary>
    private readonly record struct Parameter(string[] Segments, int Offset, string Value)
    {
        public string Head => Segments[Offset];

        public bool IsLeaf => Offset == Segments.Length - 1;

        public Parameter Next() => this with { Offset = Offset + 1 };
    }
}
