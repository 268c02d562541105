using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace RandomFit.Tests.Reliability;

/// <summary>Row counts and a SHA-256 over every stored row of the app's tables, read with plain SQL.</summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, long> RowCounts, string Checksum)
{
    private static readonly string[] Tables = ["experiments", "runs", "epochs"];

    public static async Task<DatabaseSnapshot> TakeAsync(string databasePath)
    {
        var counts = new Dictionary<string, long>();
        var text = new StringBuilder();
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = connection.CreateCommand();

            // The leading columns hold each table's key, so ordering by them fixes the row order.
            command.CommandText = $"SELECT * FROM {table} ORDER BY 1, 2";
            await using var reader = await command.ExecuteReaderAsync();
            long rows = 0;
            while (await reader.ReadAsync())
            {
                rows++;
                for (var column = 0; column < reader.FieldCount; column++)
                {
                    var value = reader.IsDBNull(column)
                        ? "<null>"
                        : Convert.ToString(reader.GetValue(column), CultureInfo.InvariantCulture);
                    text.Append(value).Append('\u001f');
                }

                text.Append('\n');
            }

            counts[table] = rows;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return new DatabaseSnapshot(counts, Convert.ToHexString(hash));
    }
}
