using Microsoft.EntityFrameworkCore;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Persistence;

/// <summary>Experiments, their runs and the runs' epochs, and uploaded datasets.</summary>
public sealed class RandomFitDbContext(DbContextOptions<RandomFitDbContext> options) : DbContext(options)
{
    public DbSet<ExperimentEntity> Experiments => Set<ExperimentEntity>();
    public DbSet<RunEntity> Runs => Set<RunEntity>();
    public DbSet<EpochEntity> Epochs => Set<EpochEntity>();
    public DbSet<DatasetEntity> Datasets => Set<DatasetEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ExperimentEntity>(experiment =>
        {
            experiment.ToTable("experiments");
            experiment.HasKey(e => e.Id);
            experiment.Property(e => e.Id).HasMaxLength(IdGenerator.Length);
            experiment.Property(e => e.Name).HasMaxLength(200);
            experiment.HasIndex(e => e.Sequence).IsUnique();
            experiment.HasIndex(e => e.Preset);
            experiment.HasMany(e => e.Runs)
                .WithOne(r => r.Experiment)
                .HasForeignKey(r => r.ExperimentId)
                .OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RunEntity>(run =>
        {
            run.ToTable("runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Id).HasMaxLength(IdGenerator.Length);

            // Lowercase contract strings keep the database readable with plain SQL tools.
            run.Property(r => r.Status)
                .HasConversion(status => StatusNames.ToName(status), name => StatusNames.Parse(name))
                .HasMaxLength(16);

            // Runs stored before execution modes existed all trained separately.
            run.Property(r => r.Execution)
                .HasConversion(mode => mode.ToString().ToLowerInvariant(), name => Enum.Parse<ExecutionMode>(name, true))
                .HasMaxLength(16)
                .HasDefaultValue(ExecutionMode.Separate);
            run.HasIndex(r => r.Sequence).IsUnique();
            run.HasIndex(r => new { r.Status, r.Sequence });
            run.HasIndex(r => r.ExperimentId);
            run.HasMany(r => r.Epochs)
                .WithOne()
                .HasForeignKey(e => e.RunId)
                .OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<EpochEntity>(epoch =>
        {
            epoch.ToTable("epochs");
            epoch.HasKey(e => new { e.RunId, e.Epoch });
        });

        modelBuilder.Entity<DatasetEntity>(dataset =>
        {
            dataset.ToTable("datasets");
            dataset.HasKey(d => d.Id);
            dataset.Property(d => d.Id).HasMaxLength(IdGenerator.Length);
            dataset.Property(d => d.Name).HasMaxLength(255);
            dataset.Property(d => d.LabelsName).HasMaxLength(255);
            dataset.Property(d => d.Format).HasMaxLength(8);
            dataset.Property(d => d.InputShape).HasMaxLength(100);
        });
    }
}
