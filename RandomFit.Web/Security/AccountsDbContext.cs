using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace RandomFit.Web.Security;

/// <summary>
/// User accounts (ASP.NET Core Identity tables) and their API tokens, in the same database as the experiments.
/// A context of its own keeps the accounts schema and its migrations apart from the experiment model. This type
/// is the SQLite context; <see cref="PostgresAccountsDbContext"/> has the same model and its own migrations.
/// </summary>
public class AccountsDbContext : IdentityDbContext<IdentityUser>
{
    public AccountsDbContext(DbContextOptions<AccountsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Lets a provider's subclass pass options typed for itself, which EF Core requires.</summary>
    protected AccountsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ApiTokenEntity> ApiTokens => Set<ApiTokenEntity>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<ApiTokenEntity>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.Property(t => t.Hash).HasMaxLength(Security.ApiTokens.HashLength);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasOne<IdentityUser>()
                .WithMany()
                .HasForeignKey(t => t.UserId)
                .OnDelete(DeleteBehavior.Cascade);
        });
    }
}

/// <summary>A per-user API token; only the SHA-256 hash of the token is stored.</summary>
public sealed class ApiTokenEntity
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token text.</summary>
    public required string Hash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
