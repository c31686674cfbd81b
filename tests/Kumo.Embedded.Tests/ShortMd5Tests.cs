using System.Security.Cryptography;
using Kumo.Embedded.Protocol;

namespace Kumo.Embedded.Tests;

/// <summary>The managed MD5 of short inputs gives the platform's digest for every length it serves and beyond.</summary>
public sealed class ShortMd5Tests
{
    [Fact]
    public void Every_length_up_to_twice_the_managed_limit_hashes_as_the_platform_does()
    {
        var random = new Random(1321);
        byte[] input = new byte[(2 * ShortMd5.MaxLength) + 1];
        random.NextBytes(input);
        Span<byte> ours = stackalloc byte[16];
        Span<byte> platform = stackalloc byte[16];
        for (int length = 0; length < input.Length; length++)
        {
            ReadOnlySpan<byte> source = input.AsSpan(0, length);
            ShortMd5.HashData(source, ours);
            MD5.HashData(source, platform);
            Assert.True(ours.SequenceEqual(platform), $"length {length}: {Convert.ToHexStringLower(ours)} != {Convert.ToHexStringLower(platform)}");
        }
    }

    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void The_rfc_1321_test_suite_gives_its_digests(string text, string expected)
    {
        byte[] digest = new byte[16];
        ShortMd5.HashData(System.Text.Encoding.ASCII.GetBytes(text), digest);
        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }
}
