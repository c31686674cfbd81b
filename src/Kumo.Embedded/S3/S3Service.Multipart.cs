using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Kumo.Embedded.S3;

/// <summary>Multipart uploads: create, upload part (and part copy), complete, abort, list parts and uploads.</summary>
internal sealed partial class S3Service
{
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private const int MaxPartNumber = 10000;
    private readonly ConcurrentDictionary<string, MultipartUpload> _uploads = new(StringComparer.Ordinal);

    private async Task CreateMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        CheckKey(key);
        HttpRequest request = context.Request;
        lock (_lock)
        {
            RequireBucket(bucketName);
        }

        string id = Guid.NewGuid().ToString("N");
        string directory = Path.Combine(_multipartRoot, id);
        Directory.CreateDirectory(directory);
        string? checksumAlgorithm = request.Headers["x-amz-checksum-algorithm"].FirstOrDefault();
        var upload = new MultipartUpload
        {
            Id = id,
            Bucket = bucketName,
            Key = key,
            Directory = directory,
            Initiated = Now,
            Template = DescribeFromHeaders(request, key),
        };
        _uploads[id] = upload;

        if (checksumAlgorithm is not null)
        {
            context.Response.Headers["x-amz-checksum-algorithm"] = checksumAlgorithm;
        }

        using var xml = new S3Xml("InitiateMultipartUploadResult");
        xml.Element("Bucket", bucketName).Element("Key", key).Element("UploadId", id);
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task UploadPartAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = RequireUpload(context, bucketName, key);
        int partNumber = RequirePartNumber(context);
        (StagedBlob staged, _, _) = await StageBodyAsync(context).ConfigureAwait(false);
        UploadedPart part = StorePart(upload, partNumber, staged);
        context.Response.Headers.ETag = part.ETag;
        context.Response.ContentLength = 0;
    }

    private async Task UploadPartCopyAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = RequireUpload(context, bucketName, key);
        int partNumber = RequirePartNumber(context);
        (string sourceBucket, string sourceKey) = ParseCopySource(Header(context.Request, "x-amz-copy-source")!);
        FileStream source;
        S3Object original;
        lock (_lock)
        {
            if (!RequireBucket(sourceBucket).TryGet(sourceKey, out original))
            {
                throw S3Errors.NoSuchKey(sourceBucket, sourceKey);
            }

            CheckCopySourcePreconditions(context.Request, original);
            source = new FileStream(_blobs.PathOf(original.BlobId), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, useAsync: true);
        }

        UploadedPart part;
        await using (source)
        {
            long offset = 0;
            long length = original.Size;
            if (Header(context.Request, "x-amz-copy-source-range") is { } rangeHeader)
            {
                (offset, length) = ParseRange(rangeHeader, original.Size)
                    ?? throw S3Errors.InvalidArgument("x-amz-copy-source-range", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
            }

            source.Seek(offset, SeekOrigin.Begin);
            using var slice = new LimitedStream(source, length);
            StagedBlob staged = await _blobs.StageAsync(slice, _context.Options.MaxObjectSize, length, context.RequestAborted).ConfigureAwait(false);
            part = StorePart(upload, partNumber, staged);
        }

        using var xml = new S3Xml("CopyPartResult");
        xml.Element("LastModified", S3Xml.Timestamp(part.LastModified)).Element("ETag", part.ETag);
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private UploadedPart StorePart(MultipartUpload upload, int partNumber, StagedBlob staged)
    {
        string path = Path.Combine(upload.Directory, partNumber.ToString(CultureInfo.InvariantCulture) + ".part");
        try
        {
            File.Move(staged.TemporaryPath, path, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            _blobs.Discard(staged);
            throw S3Errors.NoSuchUpload(upload.Id);
        }

        var part = new UploadedPart(partNumber, staged.ETag, staged.Md5, staged.Size, path, Now);
        upload.Parts[partNumber] = part;
        return part;
    }

    private async Task CompleteMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = RequireUpload(context, bucketName, key);
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

        if (requested.Count == 0)
        {
            throw S3Errors.MalformedXml("CompleteMultipartUpload must list at least one Part.");
        }

        var parts = new List<UploadedPart>(requested.Count);
        for (int i = 0; i < requested.Count; i++)
        {
            (int number, string etag) = requested[i];
            if (i > 0 && number <= requested[i - 1].Number)
            {
                throw S3Errors.InvalidPartOrder();
            }

            if (!upload.Parts.TryGetValue(number, out UploadedPart? part) || !ETagMatches(etag, part.ETag))
            {
                throw S3Errors.InvalidPart($"Part {number.ToString(CultureInfo.InvariantCulture)} with ETag {etag} was not uploaded to {upload.Id}.");
            }

            if (i < requested.Count - 1 && part.Size < MinimumPartSize)
            {
                throw S3Errors.EntityTooSmall(number);
            }

            parts.Add(part);
        }

        using var md5s = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (UploadedPart part in parts)
        {
            md5s.AppendData(part.Md5);
        }

        string etagValue = $"\"{Convert.ToHexStringLower(md5s.GetHashAndReset())}-{parts.Count.ToString(CultureInfo.InvariantCulture)}\"";
        StagedBlob staged;
        await using (var concatenated = new ConcatenatedFileStream(parts.Select(p => p.Path).ToList()))
        {
            staged = await _blobs.StageAsync(concatenated, _context.Options.MaxObjectSize, parts.Sum(p => p.Size), context.RequestAborted).ConfigureAwait(false);
        }

        S3Object value = upload.Template with
        {
            Size = staged.Size,
            ETag = etagValue,
            BlobId = staged.BlobId,
            LastModified = Now,
        };
        long sequence;
        try
        {
            sequence = Commit(bucketName, value, staged, request: null);
        }
        catch
        {
            _blobs.Discard(staged);
            throw;
        }

        RemoveUpload(upload);
        await DurableAsync(sequence).ConfigureAwait(false);
        using var xml = new S3Xml("CompleteMultipartUploadResult");
        xml.Element("Location", $"{context.Request.Scheme}://{context.Request.Host}/{bucketName}/{Uri.EscapeDataString(key)}")
            .Element("Bucket", bucketName)
            .Element("Key", key)
            .Element("ETag", etagValue);
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private Task AbortMultipartUploadAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = RequireUpload(context, bucketName, key);
        RemoveUpload(upload);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task ListPartsAsync(HttpContext context, string bucketName, string key)
    {
        MultipartUpload upload = RequireUpload(context, bucketName, key);
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

        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task ListMultipartUploadsAsync(HttpContext context, string bucketName)
    {
        lock (_lock)
        {
            RequireBucket(bucketName);
        }

        string prefix = context.Request.Query["prefix"].FirstOrDefault() ?? string.Empty;
        List<MultipartUpload> uploads = [.. _uploads.Values
            .Where(u => u.Bucket == bucketName && u.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated)];
        using var xml = new S3Xml("ListMultipartUploadsResult");
        xml.Element("Bucket", bucketName).Element("KeyMarker", string.Empty).Element("UploadIdMarker", string.Empty)
            .Element("Prefix", prefix).Element("MaxUploads", 1000).Element("IsTruncated", false);
        foreach (MultipartUpload upload in uploads)
        {
            xml.Start("Upload").Element("Key", upload.Key).Element("UploadId", upload.Id)
                .Element("Initiated", S3Xml.Timestamp(upload.Initiated)).Element("StorageClass", "STANDARD").End();
        }

        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private MultipartUpload RequireUpload(HttpContext context, string bucketName, string key)
    {
        string uploadId = context.Request.Query["uploadId"].FirstOrDefault() ?? string.Empty;
        lock (_lock)
        {
            RequireBucket(bucketName);
        }

        if (!_uploads.TryGetValue(uploadId, out MultipartUpload? upload) || upload.Bucket != bucketName || upload.Key != key)
        {
            throw S3Errors.NoSuchUpload(uploadId);
        }

        return upload;
    }

    private static int RequirePartNumber(HttpContext context)
    {
        string? value = context.Request.Query["partNumber"].FirstOrDefault();
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > MaxPartNumber)
        {
            throw S3Errors.InvalidArgument("partNumber", $"Part number must be an integer between 1 and {MaxPartNumber.ToString(CultureInfo.InvariantCulture)}, inclusive.");
        }

        return number;
    }

    private void RemoveUpload(MultipartUpload upload)
    {
        _uploads.TryRemove(upload.Id, out _);
        try
        {
            Directory.Delete(upload.Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
