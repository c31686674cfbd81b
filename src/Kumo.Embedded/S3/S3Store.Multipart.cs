using System.Globalization;

namespace Kumo.Embedded.S3;

/// <summary>
/// Open multipart uploads: in memory only, as in kumo, with their parts in <c>s3-multipart/&lt;id&gt;</c>: in the upload's
/// <see cref="PartAssembly"/> at their final offsets, or in files of their own.
/// </summary>
internal sealed partial class S3Store
{
    /// <summary>Opens an upload into an existing bucket.</summary>
    /// <param name="bucketName">The bucket, which must exist.</param>
    /// <param name="key">The object's key.</param>
    /// <param name="template">The metadata the object will be committed with.</param>
    /// <param name="minimumPartSize">The least size of any part but the last.</param>
    /// <param name="maxObjectSize">The largest object.</param>
    public MultipartUpload StartUpload(string bucketName, string key, S3Object template, long minimumPartSize, long maxObjectSize)
    {
        RequireBucket(bucketName);
        string id = Guid.NewGuid().ToString("N");
        string directory = Path.Combine(_multipartRoot, id);
        Directory.CreateDirectory(directory);
        var upload = new MultipartUpload
        {
            Id = id,
            Bucket = bucketName,
            Key = key,
            Directory = directory,
            Initiated = Now,
            Template = template,
            Assembly = new PartAssembly(Path.Combine(directory, "assembly"), minimumPartSize, maxObjectSize),
        };
        _uploads[id] = upload;
        return upload;
    }

    /// <summary>The open upload <paramref name="uploadId"/> of <paramref name="key"/>: NoSuchBucket, then NoSuchUpload.</summary>
    public MultipartUpload RequireUpload(string bucketName, string key, string uploadId)
    {
        RequireBucket(bucketName);
        if (!_uploads.TryGetValue(uploadId, out MultipartUpload? upload) || upload.Bucket != bucketName || upload.Key != key)
        {
            throw S3Errors.NoSuchUpload(uploadId);
        }

        return upload;
    }

    /// <summary>The open uploads of an existing bucket whose keys start with <paramref name="prefix"/>, by key then age.</summary>
    public List<MultipartUpload> Uploads(string bucketName, string prefix)
    {
        RequireBucket(bucketName);
        return [.. _uploads.Values
            .Where(u => u.Bucket == bucketName && u.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(u => u.Key, StringComparer.Ordinal).ThenBy(u => u.Initiated)];
    }

    /// <summary>
    /// Records a staged body as part <paramref name="partNumber"/> of the upload (replacing an earlier one): one written
    /// into the upload's assembly stays there; any other is moved into the upload's folder.
    /// </summary>
    public UploadedPart StorePart(MultipartUpload upload, int partNumber, StagedBlob staged)
    {
        if (staged.Region is { } region)
        {
            if (!_uploads.ContainsKey(upload.Id))
            {
                throw S3Errors.NoSuchUpload(upload.Id); // aborted or completed while the part was written
            }

            return upload.Parts[partNumber] = new UploadedPart(partNumber, staged.ETag, staged.Md5, staged.Key, staged.Size, region.Path, region.Offset, Now);
        }

        string path = Path.Combine(upload.Directory, partNumber.ToString(CultureInfo.InvariantCulture) + ".part");
        try
        {
            _blobs.MoveTo(staged, path);
        }
        catch (DirectoryNotFoundException)
        {
            throw S3Errors.NoSuchUpload(upload.Id);
        }

        var part = new UploadedPart(partNumber, staged.ETag, staged.Md5, staged.Key, staged.Size, path, 0, Now);
        upload.Parts[partNumber] = part;
        return part;
    }

    /// <summary>Forgets an upload and deletes its parts.</summary>
    public void RemoveUpload(MultipartUpload upload)
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
