using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>ListObjectsV2 and ListObjects (v1): prefix, delimiter, max-keys, continuation.</summary>
internal sealed partial class S3Service
{
    private const int MaxKeysLimit = 1000;

    private async Task ListObjectsV2Async(HttpContext context, string bucketName)
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

        Page page = Collect(bucketName, prefix, delimiter, marker, maxKeys);
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
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task ListObjectsV1Async(HttpContext context, string bucketName)
    {
        IQueryCollection query = context.Request.Query;
        string prefix = query["prefix"].FirstOrDefault() ?? string.Empty;
        string? delimiter = NullIfEmpty(query["delimiter"].FirstOrDefault());
        string? marker = NullIfEmpty(query["marker"].FirstOrDefault());
        bool urlEncode = string.Equals(query["encoding-type"], "url", StringComparison.Ordinal);
        int maxKeys = ParseMaxKeys(query["max-keys"].FirstOrDefault());

        Page page = Collect(bucketName, prefix, delimiter, marker, maxKeys);
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
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private static void WriteContents(S3Xml xml, Page page, bool urlEncode, bool fetchOwner)
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

    /// <summary>
    /// Walks keys after <paramref name="marker"/> in order, folding keys that share a
    /// prefix-to-delimiter into one common prefix; each entry counts toward <paramref name="maxKeys"/>.
    /// </summary>
    private Page Collect(string bucketName, string prefix, string? delimiter, string? marker, int maxKeys)
    {
        var contents = new List<S3Object>();
        var commonPrefixes = new List<string>();
        string? last = null;
        bool truncated = false;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(bucketName);
            string? after = marker;
            if (prefix.Length > 0 && (after is null || StringComparer.Ordinal.Compare(after, prefix) < 0))
            {
                // Start just before the prefix: every key that starts with it sorts at or after it.
                after = null;
            }

            foreach (string key in bucket.KeysAfter(after))
            {
                if (marker is not null && delimiter is not null && marker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(marker, StringComparison.Ordinal))
                {
                    continue; // Inside the common prefix the previous page ended on.
                }

                if (marker is not null && StringComparer.Ordinal.Compare(key, marker) <= 0)
                {
                    continue;
                }

                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (StringComparer.Ordinal.Compare(key, prefix) > 0)
                    {
                        break;
                    }

                    continue;
                }

                string? common = null;
                if (delimiter is not null)
                {
                    int index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                    if (index >= 0)
                    {
                        common = key[..(index + delimiter.Length)];
                    }
                }

                if (common is not null && commonPrefixes.Count > 0 && commonPrefixes[^1] == common)
                {
                    continue;
                }

                if (contents.Count + commonPrefixes.Count == maxKeys)
                {
                    truncated = true;
                    break;
                }

                if (common is not null)
                {
                    commonPrefixes.Add(common);
                    last = common;
                }
                else
                {
                    contents.Add(bucket.Get(key));
                    last = key;
                }
            }
        }

        return new Page(contents, commonPrefixes, truncated, last);
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

    private sealed record Page(List<S3Object> Contents, List<string> CommonPrefixes, bool IsTruncated, string? Last);
}
