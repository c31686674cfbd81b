using System.Globalization;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Tests.S3;

/// <summary>The kept Last-Modified string is handed out only for its own second, in UTC, whatever the offset (other tests format dates meanwhile, so only values are compared).</summary>
public sealed class HttpDateTests
{
    [Fact]
    public void EachSecondGetsItsOwnDateAndInstantsInOneSecondShareIt()
    {
        var first = new DateTimeOffset(2026, 12, 5, 21, 10, 19, 100, TimeSpan.Zero);
        string a = HttpDate.Format(first);
        string b = HttpDate.Format(first.AddMilliseconds(800));
        string c = HttpDate.Format(first.AddMilliseconds(900));
        string d = HttpDate.Format(first);

        Assert.Equal("Sat, 05 Dec 2026 21:10:19 GMT", a);
        Assert.Equal(a, b);
        Assert.Equal("Sat, 05 Dec 2026 21:10:20 GMT", c);
        Assert.Equal(a, d);
    }

    [Fact]
    public void AnOffsetIsConvertedToUtc()
    {
        var local = new DateTimeOffset(2026, 12, 5, 23, 10, 19, TimeSpan.FromHours(2));
        Assert.Equal(local.ToString("R", CultureInfo.InvariantCulture), HttpDate.Format(local));
        Assert.Equal("Sat, 05 Dec 2026 21:10:19 GMT", HttpDate.Format(local));
    }
}
