using Kumo.Embedded.DynamoDb;

namespace Kumo.Embedded.Tests.DynamoDb;

/// <summary>DynamoDB numbers: exact decimal order, canonical text and the range rules.</summary>
public sealed class DynamoNumberTests
{
    [Theory]
    [InlineData("1", "2", -1)]
    [InlineData("10", "9", 1)]
    [InlineData("-10", "-9", -1)]
    [InlineData("-99", "-100", 1)]
    [InlineData("99", "100", -1)]
    [InlineData("0.5", "0.05", 1)]
    [InlineData("100", "1E2", 0)]
    [InlineData("1.5", "15E-1", 0)]
    [InlineData("-0.001", "0", -1)]
    [InlineData("0", "-0", 0)]
    [InlineData("1.1", "1.09", 1)]
    [InlineData("12345678901234567890123456789012345678", "12345678901234567890123456789012345679", -1)]
    [InlineData("1E-130", "1E-129", -1)]
    [InlineData("5E125", "4.9E125", 1)]
    public void Order_is_numeric_and_exact(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(DynamoNumber.Parse(a).CompareTo(DynamoNumber.Parse(b))));
        Assert.Equal(-expected, Math.Sign(DynamoNumber.Parse(b).CompareTo(DynamoNumber.Parse(a))));
        Assert.Equal(expected == 0, DynamoNumber.Parse(a).Equals(DynamoNumber.Parse(b)));
    }

    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("+007", "7")]
    [InlineData("-0.0", "0")]
    [InlineData("1.2E+3", "1200")]
    [InlineData("-12E-4", "-0.0012")]
    [InlineData(".5", "0.5")]
    public void Text_is_canonical(string input, string expected) => Assert.Equal(expected, DynamoNumber.Parse(input).ToString());

    [Theory]
    [InlineData("1E126", "overflow")]
    [InlineData("1E-131", "underflow")]
    [InlineData("123456789012345678901234567890123456789", "38 significant digits")]
    [InlineData("abc", "cannot be converted")]
    [InlineData("1e", "cannot be converted")]
    [InlineData("", "cannot be converted")]
    public void Out_of_range_numbers_are_refused(string input, string fragment)
    {
        Protocol.AwsServiceException error = Assert.Throws<Protocol.AwsServiceException>(() => DynamoNumber.Parse(input));
        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
