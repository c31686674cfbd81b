using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>Multipart upload requests: create, upload part (and part copy), complete, abort, list parts and uploads.</summary>
internal sealed partial class S3RestProtocol
{
    private Task CreateMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        HttpRequest request = context.Request;
        MultipartUpload upload = _operations.CreateMultipartUpload(bucketName, key, () => DescribeFromHeaders(request, key));
        if (request.Headers["x-amz-checksum-algorithm"].FirstOrDefault() is { } checksumAlgorithm)
        {
            context.Response.Headers["x-amz-checksum-algorithm"] = checksumAlgorithm;
        }

        using var xml = new S3Xml("InitiateMultipartUploadResult");
        xml.Element("Bucket", bucketName).Element("Key", key).Element("UploadId", upload.Id);
        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private async Task UploadPartAsync(HttpContext context, string bucketName, string key)
    {
        UploadedPart part = await _operations.UploadPartAsync(bucketName, key, UploadId(context), PartNumber(context), () => ReadBody(context)).ConfigureAwait(false);
        context.Response.Headers.ETag = part.ETag;
        context.Response.ContentLength = 0;
    }

    private async Task UploadPartCopyAsync(HttpContext context, string bucketName, string key)
    {
        HttpRequest request = context.Request;
        UploadedPart part = await _operations.UploadPartCopyAsync(
            bucketName,
            key,
            UploadId(context),
            PartNumber(context),
            Header(request, "x-amz-copy-source")!,
            CopySourceConditions(request),
            Header(request, "x-amz-copy-source-range"),
            context.RequestAborted).ConfigureAwait(false);

        using var xml = new S3Xml("CopyPartResult");
        xml.Element("LastModified", S3Xml.Timestamp(part.LastModified)).Element("ETag", part.ETag);
        WriteXml(context, xml);
    }

    private async Task CompleteMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        S3Object value = await _operations.CompleteMultipartUploadAsync(bucketName, key, UploadId(context), () => ReadPartListAsync(context), context.RequestAborted).ConfigureAwait(false);
        using var xml = new S3Xml("CompleteMultipartUploadResult");
        xml.Element("Location", $"{context.Request.Scheme}://{context.Request.Host}/{bucketName}/{Uri.EscapeDataString(key)}")
            .Element("Bucket", bucketName)
            .Element("Key", key)
            .Element("ETag", value.ETag);
        WriteXml(context, xml);
    }

    /// <summary>The <c>Part</c> list of a CompleteMultipartUpload body, in the order given.</summary>
    private async Task<List<(int Number, string ETag)>> ReadPartListAsync(HttpContext context)
    {
        byte[] body = await ReadControlBodyAsync(context).ConfigureAwait(false);
        var requested = new List<(int Number, string ETag)>();
        XDocument document = XDocument.Load(XmlReader.Create(new MemoryStream(body), SafeXml));
        foreach (XElement part in document.Root?.Elements().Where(e => e.Name.LocalName == "Part") ?? [])
        {
            string? numberText = part.Elements().FirstOrDefault(e => e.Name.LocalName == "PartNumber")?.Value;
            string etag = part.Elements().FirstOrDefault(e => e.Name.LocalName == "ETag")?.Value
                ?? throw S3Errors.MalformedXml("every Part needs an ETag.");
            if (!int.TryParse(numberText, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw S3Errors.MalformedXml("every Part needs an integer PartNumber.");
            }

            requested.Add((number, etag));
        }

        return requested;
    }

    private Task AbortMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        _operations.AbortMultipartUpload(bucketName, key, UploadId(context));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private Task ListPartsAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = _operations.RequireUpload(bucketName, key, UploadId(context));
        IQueryCollection query = context.Request.Query;
        int marker = int.TryParse(query["part-number-marker"], NumberStyles.None, CultureInfo.InvariantCulture, out int m) ? m : 0;
        int maxParts = int.TryParse(query["max-parts"], NumberStyles.None, CultureInfo.InvariantCulture, out int mp) ? Math.Min(mp, 1000) : 1000;
        List<UploadedPart> all = [.. upload.Parts.Values.Where(p => p.Number > marker).OrderBy(p => p.Number)];
        List<UploadedPart> page = [.. all.Take(maxParts)];
        bool truncated = all.Count > page.Count;

        using var xml = new S3Xml("ListPartsResult");
        xml.Element("Bucket", bucketName).Element("Key", key).Element("UploadId", upload.Id)
            .Element("PartNumberMarker", marker)
            .Element("NextPartNumberMarker", page.Count > 0 ? page[^1].Number : marker)
            .Element("MaxParts", maxParts)
            .Element("IsTruncated", truncated)
            .Element("StorageClass", "STANDARD");
        foreach (UploadedPart part in page)
        {
            xml.Start("Part")
                .Element("PartNumber", part.Number)
                .Element("LastModified", S3Xml.Timestamp(part.LastModified))
                .Element("ETag", part.ETag)
                .Element("Size", part.Size)
                .End();
        }

        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private Task ListMultipartUploadsAsync(HttpContext context, string bucketName)
    {
        string prefix = context.Request.Query["prefix"].FirstOrDefault() ?? string.Empty;
        List<MultipartUpload> uploads = _operations.ListMultipartUploads(bucketName, prefix);
        using var xml = new S3Xml("ListMultipartUploadsResult");
        xml.Element("Bucket", bucketName).Element("KeyMarker", string.Empty).Element("UploadIdMarker", string.Empty)
            .Element("Prefix", prefix).Element("MaxUploads", 1000).Element("IsTruncated", false);
        foreach (MultipartUpload upload in uploads)
        {
            xml.Start("Upload").Element("Key", upload.Key).Element("UploadId", upload.Id)
                .Element("Initiated", S3Xml.Timestamp(upload.Initiated)).Element("StorageClass", "STANDARD").End();
        }

        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private static string UploadId(HttpContext context) => context.Request.Query["uploadId"].FirstOrDefault() ?? string.Empty;

    private static string? PartNumber(HttpContext context) => context.Request.Query["partNumber"].FirstOrDefault();
}
