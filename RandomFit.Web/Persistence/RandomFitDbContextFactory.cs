using Microsoft.EntityFrameworkCore;

namespace RandomFit.Web.Persistence;

/// <summary>
/// Creates contexts for the configured provider: <see cref="RandomFitDbContext"/> on SQLite and
/// <see cref="PostgresRandomFitDbContext"/> on PostgreSQL, so each provider finds its own migrations.
/// The settings are read on first use, so that settings added after registration (test hosts) still apply.
/// </summary>
public sealed class RandomFitDbContextFactory(
    IConfiguration configuration,
    IHostEnvironment environment,
    ILoggerFactory loggerFactory) : IDbContextFactory<RandomFitDbContext>
{
    private Func<RandomFitDbContext>? _create;

    public RandomFitDbContext CreateDbContext()
    {
        // Building the options twice on a race is harmless: both builds are equal.
        _create ??= Build();
        return _create();
    }

    private Func<RandomFitDbContext> Build()
    {
        if (DatabaseProviders.Read(configuration) == DatabaseProvider.Sqlite)
        {
            var sqlite = new DbContextOptionsBuilder<RandomFitDbContext>()
                .UseSqlite(DatabaseConnection.Resolve(configuration, environment.ContentRootPath))
                .UseLoggerFactory(loggerFactory)
                .Options;
            return () => new RandomFitDbContext(sqlite);
        }

        var connectionString = configuration.GetConnectionString(DatabaseConnection.Name);
        if (string.IsNullOrWhiteSpace(connectionString) || connectionString == DatabaseConnection.Default)
        {
            throw new InvalidOperationException(
                $"{DatabaseProviders.Key} is postgres but ConnectionStrings:{DatabaseConnection.Name} is not a " +
                "PostgreSQL connection string; set one such as 'Host=127.0.0.1;Port=5432;Username=randomfit;" +
                "Database=randomfit'.");
        }

        var postgres = new DbContextOptionsBuilder<PostgresRandomFitDbContext>()
            .UseNpgsql(connectionString)
            .UseLoggerFactory(loggerFactory)
            .Options;
        return () => new PostgresRandomFitDbContext(postgres);
    }
}
