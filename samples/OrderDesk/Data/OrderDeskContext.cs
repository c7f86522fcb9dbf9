using Microsoft.EntityFrameworkCore;

namespace OrderDesk.Data;

public sealed class OrderDeskContext : DbContext
{
    public OrderDeskContext(DbContextOptions<OrderDeskContext> options)
        : base(options)
    {
    }

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderLine> OrderLines => Set<OrderLine>();

    public static OrderDeskContext ForFile(string databasePath)
    {
        var options = new DbContextOptionsBuilder<OrderDeskContext>()
            .UseSqlite($"Data Source={databasePath}")
            .Options;
        return new OrderDeskContext(options);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>(customer =>
        {
            customer.Property(c => c.Name).IsRequired().HasMaxLength(100);
            customer.Property(c => c.Email).IsRequired().HasMaxLength(200);
            customer.HasIndex(c => c.Email).IsUnique();
        });

        modelBuilder.Entity<Order>(order =>
        {
            order.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
            order.Ignore(o => o.Total);
            order.HasOne(o => o.Customer).WithMany(c => c.Orders).HasForeignKey(o => o.CustomerId);
        });

        modelBuilder.Entity<OrderLine>(line =>
        {
            line.Property(l => l.Product).IsRequired().HasMaxLength(100);
            line.Ignore(l => l.Amount);
            line.HasOne(l => l.Order).WithMany(o => o.Lines).HasForeignKey(l => l.OrderId);
        });
    }
}
