using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>Bucket requests.</summary>
internal sealed partial class S3RestProtocol
{
    private Task ListBucketsAsync(HttpContext context)
    {
        string? prefix = context.Request.Query["prefix"];
        List<S3Bucket> buckets = _operations.ListBuckets(prefix);

        using var xml = new S3Xml("ListAllMyBucketsResult");
        xml.Start("Owner").Element("ID", EngineContext.AccountId).Element("DisplayName", "kumo").End();
        xml.Start("Buckets");
        foreach (S3Bucket bucket in buckets)
        {
            xml.Start("Bucket").Element("Name", bucket.Name).Element("CreationDate", S3Xml.Timestamp(bucket.Created)).Element("BucketRegion", bucket.Region).End();
        }

        xml.End();
        if (prefix is not null)
        {
            xml.Element("Prefix", prefix);
        }

        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private async Task CreateBucketAsync(HttpContext context, string name)
    {
        S3Operations.CheckBucketName(name);
        string? locationConstraint = null;
        byte[] body = await ReadControlBodyAsync(context).ConfigureAwait(false);
        if (body.Length > 0)
        {
            using var reader = XmlReader.Create(new MemoryStream(body), SafeXml);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "LocationConstraint")
                {
                    string value = reader.ReadElementContentAsString();
                    if (value.Length > 0)
                    {
                        locationConstraint = value;
                    }
                }
            }
        }

        await _operations.CreateBucketAsync(name, locationConstraint).ConfigureAwait(false);
        context.Response.Headers.Location = "/" + name;
        context.Response.ContentLength = 0;
    }

    private Task HeadBucketAsync(HttpContext context, string name)
    {
        context.Response.Headers["x-amz-bucket-region"] = _operations.RequireBucket(name);
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private async Task DeleteBucketAsync(HttpContext context, string name)
    {
        await _operations.DeleteBucketAsync(name).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private Task GetBucketLocationAsync(HttpContext context, string name)
    {
        string region = _operations.RequireBucket(name);
        using var xml = new S3Xml("LocationConstraint");
        // us-east-1 is reported as an empty constraint, as S3 does.
        xml.Writer.WriteString(region == "us-east-1" ? string.Empty : S3Xml.WellFormedUtf16(region));
        WriteXml(context, xml);

        return Task.CompletedTask;
    }

    private Task GetBucketVersioningAsync(HttpContext context, string name)
    {
        _operations.RequireBucket(name);
        using var xml = new S3Xml("VersioningConfiguration");
        WriteXml(context, xml);

        return Task.CompletedTask;
    }
}
