using Kumo.Embedded.S3;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kumo.Embedded.Tests.S3;

/// <summary>Which bucket and key a request names: path style, or <c>&lt;bucket&gt;.localhost</c> virtual-host style with or without a port.</summary>
public sealed class S3TargetTests
{
    [Theory]
    [InlineData("vhost.localhost:4566", "/photos/a.jpg", "vhost", "photos/a.jpg")]
    [InlineData("vhost.localhost", "/a.jpg", "vhost", "a.jpg")]
    [InlineData("Mixed.LocalHost:4566", "/a", "Mixed", "a")]
    [InlineData("a.b.localhost:1", "/", "a.b", null)]
    [InlineData("127.0.0.1:4566", "/bucket/key/with/slashes", "bucket", "key/with/slashes")]
    [InlineData("localhost:4566", "/bucket/key", "bucket", "key")]
    [InlineData("localhost", "/bucket", "bucket", null)]
    [InlineData(".localhost:4566", "/bucket/key", "bucket", "key")]
    [InlineData("[::1]:4566", "/bucket/key", "bucket", "key")]
    [InlineData("[::1]", "/bucket/key", "bucket", "key")]
    [InlineData("localhost.example:4566", "/bucket/key", "bucket", "key")]
    [InlineData("vhost.localhost:4566", "/encoded%20key", "vhost", "encoded key")]
    public void A_request_names_its_bucket_and_key(string host, string rawTarget, string? bucket, string? key)
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString(host);
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        S3Target target = S3Target.From(context);

        Assert.Equal(bucket, target.Bucket);
        Assert.Equal(key, target.Key);
    }

    [Fact]
    public void No_host_header_is_path_style()
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/bucket/key";

        Assert.Equal(new S3Target("bucket", "key"), S3Target.From(context));
    }
}
