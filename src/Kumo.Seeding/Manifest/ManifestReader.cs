using System.Globalization;
using System.Text.Json;

namespace Kumo.Seeding;

/// <summary>
/// Reads manifest JSON into <see cref="ManifestNode"/>s that remember their pointer and line.
/// Comments and trailing commas are allowed; duplicate property names are errors.
/// </summary>
internal ref struct ManifestReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    private readonly SeedErrors _errors;
    private readonly List<int> _newlines;
    private Utf8JsonReader _reader;
    private string _pointer;

    private ManifestReader(ReadOnlySpan<byte> json, SeedErrors errors)
    {
        _errors = errors;
        _reader = new Utf8JsonReader(json, Options);
        _pointer = string.Empty;
        _newlines = [];
        for (int i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                _newlines.Add(i);
            }
        }
    }

    /// <summary>Reads the document; syntax errors are thrown at once as a <see cref="SeedManifestException"/>.</summary>
    public static ManifestNode Read(ReadOnlySpan<byte> json, SeedErrors errors)
    {
        if (json.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            json = json[3..];
        }

        var reader = new ManifestReader(json, errors);
        try
        {
            if (!reader._reader.Read())
            {
                throw new JsonException("The file contains no JSON value.", null, 0, 0);
            }

            ManifestNode root = reader.ReadValue(string.Empty);
            if (reader._reader.Read())
            {
                throw new JsonException("Unexpected content after the end of the JSON document.", null, reader._reader.TokenStartIndex == 0 ? 0 : reader.LineAt(reader._reader.TokenStartIndex) - 1, 0);
            }

            return root;
        }
        catch (JsonException e)
        {
            int line = (int)(e.LineNumber ?? 0) + 1;
            long column = (e.BytePositionInLine ?? 0) + 1;
            string detail = StripPosition(e.Message);
            errors.Add(reader._pointer, line, $"the file is not valid JSON: {detail}",
                $"correct the JSON syntax at line {line}, column {column.ToString(CultureInfo.InvariantCulture)} (a missing comma, quote, colon or closing brace is the usual cause).");
            errors.ThrowIfAny(e);
            throw;
        }
    }

    private ManifestNode ReadValue(string pointer)
    {
        _pointer = pointer;
        int line = LineAt(_reader.TokenStartIndex);
        switch (_reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new ManifestObject(pointer, line);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (_reader.Read() && _reader.TokenType != JsonTokenType.EndObject)
                {
                    string name = _reader.GetString()!;
                    int propertyLine = LineAt(_reader.TokenStartIndex);
                    string child = pointer + "/" + SeedLocation.EscapePointerToken(name);
                    _pointer = child;
                    _reader.Read();
                    ManifestNode value = ReadValue(child);
                    _pointer = pointer;
                    if (!seen.Add(name))
                    {
                        _errors.Add(child, propertyLine, $"property \"{name}\" appears twice in the same object.", $"remove one of the \"{name}\" properties; only one value is allowed.");
                        continue;
                    }

                    obj.Properties.Add(new ManifestProperty(name, propertyLine, value));
                }

                return obj;
            case JsonTokenType.StartArray:
                var array = new ManifestArray(pointer, line);
                int index = 0;
                while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
                {
                    array.Items.Add(ReadValue(pointer + "/" + index.ToString(CultureInfo.InvariantCulture)));
                    _pointer = pointer;
                    index++;
                }

                return array;
            case JsonTokenType.String:
                return new ManifestValue(pointer, line, JsonTokenType.String, _reader.GetString());
            case JsonTokenType.Number:
                return new ManifestValue(pointer, line, JsonTokenType.Number, System.Text.Encoding.UTF8.GetString(_reader.ValueSpan));
            case JsonTokenType.True:
                return new ManifestValue(pointer, line, JsonTokenType.True, "true");
            case JsonTokenType.False:
                return new ManifestValue(pointer, line, JsonTokenType.False, "false");
            default:
                return new ManifestValue(pointer, line, JsonTokenType.Null, null);
        }
    }

    private readonly int LineAt(long offset)
    {
        int index = _newlines.BinarySearch((int)offset);
        return (index < 0 ? ~index : index) + 1;
    }

    private static string StripPosition(string message)
    {
        int at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }
}
