namespace Kumo.Embedded.S3;

/// <summary>One S3 mutation in the journal (<c>s3-journal-&lt;segment&gt;</c>).</summary>
internal sealed class S3JournalRecord
{
    public const string CreateBucket = "bucket";
    public const string DeleteBucket = "delete-bucket";
    public const string PutObject = "put";
    public const string DeleteObject = "delete";

    /// <summary>One of <see cref="CreateBucket"/>, <see cref="DeleteBucket"/>, <see cref="PutObject"/>, <see cref="DeleteObject"/>.</summary>
    public required string Op { get; set; }

    public required string Bucket { get; set; }

    /// <summary>For <see cref="CreateBucket"/>.</summary>
    public DateTimeOffset? Created { get; set; }

    /// <summary>For <see cref="CreateBucket"/>.</summary>
    public string? Region { get; set; }

    /// <summary>For <see cref="PutObject"/>: the whole object description.</summary>
    public S3Object? Object { get; set; }

    /// <summary>For <see cref="DeleteObject"/>.</summary>
    public string? Key { get; set; }
}
