using Microsoft.EntityFrameworkCore;

namespace RandomFit.Web.Persistence;

/// <summary>
/// The PostgreSQL context: the same model as <see cref="RandomFitDbContext"/>, a distinct type only so that its
/// migrations (Persistence/Migrations/Postgres) are kept apart from the SQLite ones.
/// </summary>
public sealed class PostgresRandomFitDbContext(DbContextOptions<PostgresRandomFitDbContext> options)
    : RandomFitDbContext(options);
