using System.Buffers.Binary;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Tests;

/// <summary>Request and message ids keep the GUID shape AWS uses: the digits of a prefix and a counter, in the "D" layout.</summary>
public sealed class UniqueIdsTests
{
    [Fact]
    public void A_request_id_is_an_upper_case_guid_of_its_prefix_and_counter()
    {
        string id = UniqueIds.Request();

        Assert.Equal(id.ToUpperInvariant(), id);
        Assert.Equal(id, AsGuid(id).ToString("D").ToUpperInvariant());
    }

    [Fact]
    public void A_message_id_is_a_lower_case_guid_of_its_prefix_and_counter()
    {
        string id = UniqueIds.Message();

        Assert.Equal(id.ToLowerInvariant(), id);
        Assert.Equal(id, AsGuid(id).ToString("D"));
    }

    [Fact]
    public void Ids_share_the_process_prefix_and_count_up()
    {
        string first = UniqueIds.Message();
        string second = UniqueIds.Request();

        (long prefix1, long counter1) = Halves(first);
        (long prefix2, long counter2) = Halves(second);
        Assert.Equal(prefix1, prefix2);
        Assert.True(counter2 > counter1, $"{second} should count past {first}");
    }

    /// <summary>The GUID whose big-endian bytes the id's digits spell (as <c>new Guid(bytes, bigEndian: true)</c> formats them).</summary>
    private static Guid AsGuid(string id) => new(BytesOf(id), bigEndian: true);

    private static (long Prefix, long Counter) Halves(string id)
    {
        byte[] bytes = BytesOf(id);
        return (BinaryPrimitives.ReadInt64BigEndian(bytes), BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)));
    }

    /// <summary>The 16 bytes an id's 32 digits spell, once its four dashes are taken out.</summary>
    private static byte[] BytesOf(string id)
    {
        Assert.Equal(36, id.Length);
        return Convert.FromHexString(id.Replace("-", string.Empty, StringComparison.Ordinal));
    }
}
