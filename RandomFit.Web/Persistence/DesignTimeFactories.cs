using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace RandomFit.Web.Persistence;

/// <summary>Lets <c>dotnet ef migrations add --context RandomFitDbContext</c> build the SQLite model.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<RandomFitDbContext>
{
    public RandomFitDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<RandomFitDbContext>().UseSqlite(DatabaseConnection.Default).Options);
}

/// <summary>
/// Lets <c>dotnet ef migrations add --context PostgresRandomFitDbContext</c> build the PostgreSQL model.
/// Adding a migration never connects, so the connection string only has to parse.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresRandomFitDbContext>
{
    public PostgresRandomFitDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRandomFitDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=randomfit")
            .Options);
}
