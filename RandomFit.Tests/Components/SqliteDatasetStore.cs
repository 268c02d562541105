using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>
/// The real <see cref="DatasetStore"/> on a migrated SQLite file of its own, for page tests that upload or delete
/// datasets. Disposing it deletes the file.
/// </summary>
public sealed class SqliteDatasetStore : IDisposable
{
    private readonly string _databasePath =
        Path.Combine(Path.GetTempPath(), "randomfit-tests", $"uploads-{Guid.NewGuid():N}.db");

    public SqliteDatasetStore(DatasetLimitsOptions limits)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_databasePath)!);
        var options = new DbContextOptionsBuilder<RandomFitDbContext>()
            .UseSqlite($"Data Source={_databasePath}")
            .Options;
        using (var db = new RandomFitDbContext(options))
        {
            db.Database.Migrate();
        }

        DbFactory = new PooledDbContextFactory<RandomFitDbContext>(options);
        Store = new DatasetStore(DbFactory, Options.Create(limits), NullLogger<DatasetStore>.Instance);
    }

    /// <summary>The factory of the store's database, for tests that add experiments next to the datasets.</summary>
    public IDbContextFactory<RandomFitDbContext> DbFactory { get; }

    public DatasetStore Store { get; }

    /// <summary>Lists the stored datasets.</summary>
    public List<DatasetItem> Datasets() => Store.ListAsync(CancellationToken.None).GetAwaiter().GetResult().ToList();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }
}
