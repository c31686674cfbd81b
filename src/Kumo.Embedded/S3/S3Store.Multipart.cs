using System.Globalization;

namespace Kumo.Embedded.S3;

/// <summary>Open multipart uploads: in memory only, as in kumo, with their parts as files in <c>s3-multipart/&lt;id&gt;</c>.</summary>
internal sealed partial class S3Store
{
    /// <summary>Opens an upload into an existing bucket.</summary>
    public MultipartUpload StartUpload(string bucketName, string key, S3Object template)
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

    /// <summary>Moves a staged body into the upload as part <paramref name="partNumber"/> (replacing an earlier one).</summary>
    public UploadedPart StorePart(MultipartUpload upload, int partNumber, StagedBlob staged)
    {
        string path = Path.Combine(upload.Directory, partNumber.ToString(CultureInfo.InvariantCulture) + ".part");
        try
        {
            _blobs.MoveTo(staged, path);
        }
        catch (DirectoryNotFoundException)
        {
            throw S3Errors.NoSuchUpload(upload.Id);
        }

        var part = new UploadedPart(partNumber, staged.ETag, staged.Md5, staged.Key, staged.Size, path, Now);
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
