using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>ListObjectsV2 and ListObjects (v1): the query (prefix, delimiter, max-keys, continuation) and the XML answer.</summary>
internal sealed partial class S3RestProtocol
{
    private const int MaxKeysLimit = 1000;

    private Task ListObjectsV2Async(HttpContext context, string bucketName)
    {
        IQueryCollection query = context.Request.Query;
        string prefix = query["prefix"].FirstOrDefault() ?? string.Empty;
        string? delimiter = NullIfEmpty(query["delimiter"].FirstOrDefault());
        string? token = NullIfEmpty(query["continuation-token"].FirstOrDefault());
        string? startAfter = NullIfEmpty(query["start-after"].FirstOrDefault());
        bool urlEncode = string.Equals(query["encoding-type"], "url", StringComparison.Ordinal);
        int maxKeys = ParseMaxKeys(query["max-keys"].FirstOrDefault());
        bool fetchOwner = string.Equals(query["fetch-owner"], "true", StringComparison.OrdinalIgnoreCase);

        string? marker = startAfter;
        if (token is not null)
        {
            marker = DecodeToken(token);
        }

        S3ListPage page = _operations.ListObjects(bucketName, prefix, delimiter, marker, maxKeys);
        using var xml = new S3Xml("ListBucketResult");
        xml.Element("Name", bucketName)
            .Element("Prefix", Encode(prefix, urlEncode))
            .Element("KeyCount", page.Contents.Count + page.CommonPrefixes.Count)
            .Element("MaxKeys", maxKeys);
        if (delimiter is not null)
        {
            xml.Element("Delimiter", Encode(delimiter, urlEncode));
        }

        xml.Element("IsTruncated", page.IsTruncated);
        if (token is not null)
        {
            xml.Element("ContinuationToken", token);
        }

        if (page.IsTruncated && page.Last is not null)
        {
            xml.Element("NextContinuationToken", EncodeToken(page.Last));
        }

        if (startAfter is not null)
        {
            xml.Element("StartAfter", Encode(startAfter, urlEncode));
        }

        if (urlEncode)
        {
            xml.Element("EncodingType", "url");
        }

        WriteContents(xml, page, urlEncode, fetchOwner);
        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private Task ListObjectsV1Async(HttpContext context, string bucketName)
    {
        IQueryCollection query = context.Request.Query;
        string prefix = query["prefix"].FirstOrDefault() ?? string.Empty;
        string? delimiter = NullIfEmpty(query["delimiter"].FirstOrDefault());
        string? marker = NullIfEmpty(query["marker"].FirstOrDefault());
        bool urlEncode = string.Equals(query["encoding-type"], "url", StringComparison.Ordinal);
        int maxKeys = ParseMaxKeys(query["max-keys"].FirstOrDefault());

        S3ListPage page = _operations.ListObjects(bucketName, prefix, delimiter, marker, maxKeys);
        using var xml = new S3Xml("ListBucketResult");
        xml.Element("Name", bucketName)
            .Element("Prefix", Encode(prefix, urlEncode))
            .Element("Marker", Encode(marker ?? string.Empty, urlEncode))
            .Element("MaxKeys", maxKeys);
        if (delimiter is not null)
        {
            xml.Element("Delimiter", Encode(delimiter, urlEncode));
        }

        xml.Element("IsTruncated", page.IsTruncated);
        if (page.IsTruncated && delimiter is not null && page.Last is not null)
        {
            xml.Element("NextMarker", Encode(page.Last, urlEncode));
        }

        if (urlEncode)
        {
            xml.Element("EncodingType", "url");
        }

        WriteContents(xml, page, urlEncode, fetchOwner: true);
        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private static void WriteContents(S3Xml xml, S3ListPage page, bool urlEncode, bool fetchOwner)
    {
        foreach (S3Object item in page.Contents)
        {
            xml.Start("Contents")
                .Element("Key", Encode(item.Key, urlEncode))
                .Element("LastModified", S3Xml.Timestamp(item.LastModified))
                .Element("ETag", item.ETag)
                .Element("Size", item.Size)
                .Element("StorageClass", "STANDARD");
            if (fetchOwner)
            {
                xml.Start("Owner").Element("ID", EngineContext.AccountId).Element("DisplayName", "kumo").End();
            }

            xml.End();
        }

        foreach (string commonPrefix in page.CommonPrefixes)
        {
            xml.Start("CommonPrefixes").Element("Prefix", Encode(commonPrefix, urlEncode)).End();
        }
    }

    private static int ParseMaxKeys(string? value)
    {
        if (value is null)
        {
            return MaxKeysLimit;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int maxKeys))
        {
            throw S3Errors.InvalidArgument("max-keys", $"Provided max-keys '{value}' is not an integer between 0 and 2147483647.");
        }

        return Math.Min(maxKeys, MaxKeysLimit);
    }

    private static string EncodeToken(string marker) => Convert.ToBase64String(Encoding.UTF8.GetBytes(marker));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw S3Errors.InvalidArgument("continuation-token", "The continuation token provided is incorrect.");
        }
    }

    private static string Encode(string value, bool urlEncode) => urlEncode ? Uri.EscapeDataString(value) : value;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
