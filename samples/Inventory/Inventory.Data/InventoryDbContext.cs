using Inventory.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data;

/// <summary>
/// The EF Core model. Its table and column names are the ones the Dapper and ADO.NET repositories write in their SQL.
/// </summary>
public sealed class InventoryDbContext : DbContext
{
    public InventoryDbContext(DbContextOptions<InventoryDbContext> options)
        : base(options)
    {
    }

    public DbSet<Equipment> Equipment => Set<Equipment>();

    public DbSet<Location> Locations => Set<Location>();

    public DbSet<Loan> Loans => Set<Loan>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Equipment>(equipment =>
        {
            equipment.ToTable("Equipment");
            equipment.HasIndex(e => e.SerialNumber).IsUnique();
            equipment.HasOne(e => e.Location).WithMany(l => l.Equipment).HasForeignKey(e => e.LocationId);
        });
        modelBuilder.Entity<Location>().ToTable("Locations");
        modelBuilder.Entity<Loan>().ToTable("Loans");
        modelBuilder.Entity<AuditEntry>().ToTable("AuditEntries");
    }
}
