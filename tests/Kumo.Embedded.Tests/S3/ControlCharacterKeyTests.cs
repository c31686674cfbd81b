using System.Xml.Linq;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.S3;

/// <summary>Keys holding control characters are stored, listed (as XML character references, as S3 writes them) and deleted, also after a restart.</summary>
public sealed class ControlCharacterKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_with_0x01_is_listed_as_a_character_reference_and_the_sdk_reads_it_back()
    {
        string dataDir = TestEngine.NewDataDir();
        await using (TestEngine engine = await TestEngine.StartAsync(o => o with { DataDir = dataDir }))
        {
            await engine.S3.PutBucketAsync("bkt", Ct);
            Assert.Equal(200, (await RawHttp.SendAsync(engine.Endpoint, "PUT", "/bkt/ctl%01x", body: "v"u8.ToArray())).Status);

            RawResponse v2 = await RawHttp.SendAsync(engine.Endpoint, "GET", "/bkt?list-type=2");
            RawResponse v1 = await RawHttp.SendAsync(engine.Endpoint, "GET", "/bkt");
            RawResponse encoded = await RawHttp.SendAsync(engine.Endpoint, "GET", "/bkt?list-type=2&encoding-type=url");

            Assert.Equal(200, v2.Status);
            Assert.Contains("<Key>ctl&#x1;x</Key>", v2.Body, StringComparison.Ordinal);
            Assert.Equal(200, v1.Status);
            Assert.Contains("<Key>ctl%01x</Key>", encoded.Body, StringComparison.Ordinal);
        }

        await using TestEngine restarted = await TestEngine.StartAsync(o => o with { DataDir = dataDir });
        ListObjectsV2Response listed = await restarted.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bkt" }, Ct);
        Assert.Equal("ctl\u0001x", Assert.Single(listed.S3Objects).Key);
        RawResponse deleted = await RawHttp.SendAsync(restarted.Endpoint, "POST", "/bkt?delete", body: "<Delete><Object><Key>ctl&#1;x</Key></Object></Delete>"u8.ToArray());
        Assert.Equal(200, deleted.Status);
        Assert.Contains("<Key>ctl&#x1;x</Key>", deleted.Body, StringComparison.Ordinal);
        Assert.Empty((await restarted.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = "bkt" }, Ct)).S3Objects ?? []);
    }

    [Fact]
    public async Task Errors_naming_a_control_character_key_are_well_formed()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);

        RawResponse missingBucket = await RawHttp.SendAsync(engine.Endpoint, "PUT", "/nobucket/a%01", body: "x"u8.ToArray());

        Assert.Equal(404, missingBucket.Status);
        // A control character is only legal in XML as a character reference, which a reader must be told to accept.
        using var reader = System.Xml.XmlReader.Create(new StringReader(missingBucket.Body), new System.Xml.XmlReaderSettings { CheckCharacters = false });
        XElement error = XDocument.Load(reader).Root!;
        Assert.Equal("NoSuchBucket", error.Element("Code")!.Value);
        Assert.Equal("/nobucket/a\u0001", error.Element("Resource")!.Value);
    }
}
