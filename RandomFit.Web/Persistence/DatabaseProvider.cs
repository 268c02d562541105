namespace RandomFit.Web.Persistence;

/// <summary>The database engine named by <c>RandomFit:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>A local file; one node only.</summary>
    Sqlite,

    /// <summary>A shared server; needed for worker nodes.</summary>
    Postgres,
}

/// <summary>Reads the provider setting.</summary>
public static class DatabaseProviders
{
    public const string Key = "RandomFit:Database:Provider";

    /// <summary>Returns the configured provider; <see cref="DatabaseProvider.Sqlite"/> when the key is unset.</summary>
    /// <exception cref="InvalidSettingException">The value is neither <c>sqlite</c> nor <c>postgres</c>.</exception>
    public static DatabaseProvider Read(IConfiguration configuration)
    {
        var value = configuration[Key];
        if (string.IsNullOrWhiteSpace(value) || value.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }

        if (value.Equals("postgres", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }

        throw new InvalidSettingException($"{Key} is '{value}', which is invalid; use sqlite or postgres.");
    }
}
