using System.Security.Cryptography;
using System.Text;

namespace RandomFit.Web.Security;

/// <summary>Makes and hashes API tokens.</summary>
public static class ApiTokens
{
    public const int HashLength = 64;

    private const string Prefix = "rf_";

    /// <summary>Returns a new token: 32 random bytes, base64url, with a prefix that makes leaked tokens easy to spot.</summary>
    public static string NewToken() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Returns the lowercase hex SHA-256 of a token. A fast unsalted hash suffices because a token carries
    /// 256 random bits, so the stored hash cannot be reversed by guessing, unlike a password's.
    /// </summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
