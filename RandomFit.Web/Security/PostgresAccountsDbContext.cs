using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RandomFit.Web.Security;

/// <summary>The accounts model on PostgreSQL, a type of its own so that its migrations are kept apart from SQLite's.</summary>
public sealed class PostgresAccountsDbContext(DbContextOptions<PostgresAccountsDbContext> options)
    : AccountsDbContext(options);

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgresAccountsDbContext</c> build the PostgreSQL accounts model.
/// Adding a migration never connects, so the connection string only has to parse.
/// </summary>
public sealed class PostgresAccountsDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAccountsDbContext>
{
    public PostgresAccountsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAccountsDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=randomfit")
            .Options);
}
