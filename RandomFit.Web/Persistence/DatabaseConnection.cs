using Microsoft.Data.Sqlite;

namespace RandomFit.Web.Persistence;

/// <summary>Resolves the SQLite connection string of <c>ConnectionStrings:RandomFit</c>.</summary>
public static class DatabaseConnection
{
    public const string Name = "RandomFit";
    public const string Default = "Data Source=data/randomfit.db";

    /// <summary>
    /// Returns the connection string with a relative data source made absolute under the content root,
    /// so the database does not move with the working directory, and creates the folder that holds it.
    /// </summary>
    public static string Resolve(IConfiguration configuration, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString(Name) ?? Default);
        var isFile = builder.Mode != SqliteOpenMode.Memory
            && !string.IsNullOrEmpty(builder.DataSource)
            && builder.DataSource != ":memory:";
        if (!isFile)
        {
            return builder.ConnectionString;
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
        var folder = Path.GetDirectoryName(builder.DataSource);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return builder.ConnectionString;
    }
}
