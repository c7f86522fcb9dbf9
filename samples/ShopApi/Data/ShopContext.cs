using Microsoft.EntityFrameworkCore;

namespace ShopApi.Data;

public sealed class ShopContext : DbContext
{
    public ShopContext(DbContextOptions<ShopContext> options)
        : base(options)
    {
    }

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Money as a fixed-point decimal on PostgreSQL; SQLite stores it as text and EF Core converts it back.
        modelBuilder.Entity<Product>().Property(p => p.Price).HasPrecision(10, 2);
        modelBuilder.Entity<OrderLine>().Property(l => l.UnitPrice).HasPrecision(10, 2);
        modelBuilder.Entity<Customer>().HasIndex(c => c.Email).IsUnique();
    }
}
