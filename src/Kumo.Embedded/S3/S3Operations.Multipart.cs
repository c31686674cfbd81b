using System.Globalization;
using System.Security.Cryptography;

namespace Kumo.Embedded.S3;

/// <summary>Multipart uploads: create, upload part (and part copy), complete, abort, list parts and uploads.</summary>
internal sealed partial class S3Operations
{
    private const long MinimumPartSize = 5L * 1024 * 1024;
    private const int MaxPartNumber = 10000;

    public MultipartUpload CreateMultipartUpload(string bucketName, string key, Func<S3Object> describe)
    {
        CheckKey(key);
        _store.RequireBucket(bucketName);
        return _store.StartUpload(bucketName, key, describe(), MinimumPartSize, _maxObjectSize);
    }

    public async Task<UploadedPart> UploadPartAsync(string bucketName, string key, string uploadId, string? partNumber, Func<S3Body> body)
    {
        MultipartUpload upload = _store.RequireUpload(bucketName, key, uploadId);
        int number = RequirePartNumber(partNumber);
        S3Body content = body();
        PartAssembly assembly = upload.Assembly;
        bool claimed = assembly.TryClaim(number, content.Length, out long offset);
        try
        {
            (StagedBlob staged, _, _) = await StageAsync(content, claimed ? new BodyRegion(assembly.Path, offset) : null).ConfigureAwait(false);
            return _store.StorePart(upload, number, staged);
        }
        catch (DirectoryNotFoundException) when (claimed)
        {
            throw S3Errors.NoSuchUpload(upload.Id); // aborted or completed meanwhile: its folder is gone
        }
        finally
        {
            if (claimed)
            {
                assembly.EndWrite();
            }
        }
    }

    public async Task<UploadedPart> UploadPartCopyAsync(string bucketName, string key, string uploadId, string? partNumber, string copySource, S3Conditions sourceConditions, string? sourceRange, CancellationToken cancellationToken)
    {
        MultipartUpload upload = _store.RequireUpload(bucketName, key, uploadId);
        int number = RequirePartNumber(partNumber);
        (string sourceBucket, string sourceKey) = ParseCopySource(copySource);
        (S3Object original, StoredBody content) = _store.Open(sourceBucket, sourceKey);
        using (content)
        {
            CheckCopySourceConditions(sourceConditions, original);
            long offset = 0;
            long length = original.Size;
            if (sourceRange is not null)
            {
                (offset, length) = ParseRange(sourceRange, original.Size)
                    ?? throw S3Errors.InvalidArgument("x-amz-copy-source-range", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy");
            }

            await using Stream slice = content.Slice(offset, length);
            StagedBlob staged = await _store.Blobs.StageAsync(slice, _maxObjectSize, length, cancellationToken).ConfigureAwait(false);
            return _store.StorePart(upload, number, staged);
        }
    }

    /// <summary>Assembles the listed parts into the object; <paramref name="readParts"/> reads the request's part list once the upload is known.</summary>
    public async Task<S3Object> CompleteMultipartUploadAsync(string bucketName, string key, string uploadId, Func<Task<List<(int Number, string ETag)>>> readParts, CancellationToken cancellationToken)
    {
        MultipartUpload upload = _store.RequireUpload(bucketName, key, uploadId);
        List<(int Number, string ETag)> requested = await readParts().ConfigureAwait(false);
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

        byte[] digest = md5s.GetHashAndReset();
        string etagValue = $"\"{Convert.ToHexStringLower(digest)}-{parts.Count.ToString(CultureInfo.InvariantCulture)}\"";
        // Parts that fill the upload's assembly become the body as they are (the file is linked into place); other parts
        // of a body above the small-body size are copied by the kernel into a file of its own; a small body (or a system
        // that can do neither) is read through and hashed like any body.
        long size = parts.Sum(p => p.Size);
        if (size > _maxObjectSize)
        {
            throw S3Errors.EntityTooLarge(_maxObjectSize);
        }

        StagedBlob? staged = null;
        if (size > BlobStore.SmallBodyBytes)
        {
            staged = (upload.Assembly.TrySeal(parts) ? _store.Blobs.TryStageAssembly(upload.Assembly.Path, parts, size, digest) : null)
                ?? _store.Blobs.TryStageConcatenation(parts, size, digest);
        }

        if (staged is null)
        {
            await using var concatenated = new ConcatenatedFileStream(parts);
            staged = await _store.Blobs.StageAsync(concatenated, _maxObjectSize, size, cancellationToken, digest).ConfigureAwait(false);
        }

        S3Object value = upload.Template with
        {
            Size = staged.Size,
            ETag = etagValue,
            BlobId = staged.BlobId,
            LastModified = Now,
        };
        long sequence = _store.Commit(bucketName, value, staged, check: null);
        _store.RemoveUpload(upload);
        await _store.DurableAsync(sequence).ConfigureAwait(false);
        return value;
    }

    public void AbortMultipartUpload(string bucketName, string key, string uploadId) =>
        _store.RemoveUpload(_store.RequireUpload(bucketName, key, uploadId));

    public MultipartUpload RequireUpload(string bucketName, string key, string uploadId) => _store.RequireUpload(bucketName, key, uploadId);

    public List<MultipartUpload> ListMultipartUploads(string bucketName, string prefix) => _store.Uploads(bucketName, prefix);

    private static int RequirePartNumber(string? value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > MaxPartNumber)
        {
            throw S3Errors.InvalidArgument("partNumber", $"Part number must be an integer between 1 and {MaxPartNumber.ToString(CultureInfo.InvariantCulture)}, inclusive.");
        }

        return number;
    }
}
