using System.Security.Cryptography;

namespace RandomFit.Web.Persistence;

/// <summary>Short random URL-safe ids for experiments and runs.</summary>
public static class IdGenerator
{
    /// <summary>Length of an id: 10 characters of 36 give about 51 bits, ample for one database.</summary>
    public const int Length = 10;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewId() => RandomNumberGenerator.GetString(Alphabet, Length);
}
