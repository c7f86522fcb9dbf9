using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;

namespace OrderDesk.Data;

/// <summary>Creates the database file from the model and fills it with the demo data.</summary>
public sealed class DatabaseSeeder
{
    private readonly OrderDeskContext _db;

    public DatabaseSeeder(OrderDeskContext db)
    {
        _db = db;
    }

    /// <summary>Drops the database if it exists, recreates it and seeds it; returns the number of customers.</summary>
    public async Task<int> ResetAsync()
    {
        _db.Database.EnsureDeleted();
        _db.Database.EnsureCreated();

        _db.Customers.AddRange(DemoCustomers());
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();

        return _db.Customers.Count();
    }

    private static Customer[] DemoCustomers()
    {
        var ada = new Customer { Id = 1, Name = "Ada Lovelace", Email = "ada@example.com", City = "London" };
        ada.Orders.Add(NewOrder(1, new DateTime(2024, 3, 1), OrderStatus.Shipped, new DateTime(2024, 3, 3),
            ("Notebook", 3, 4.50m), ("Fountain pen", 1, 35.00m)));
        ada.Orders.Add(NewOrder(2, new DateTime(2024, 3, 10), OrderStatus.Open, null,
            ("Ink bottle", 2, 8.25m)));
        ada.Orders.Add(NewOrder(3, new DateTime(2024, 3, 12), OrderStatus.Cancelled, null,
            ("Desk lamp", 1, 42.00m)));

        var grace = new Customer { Id = 2, Name = "Grace Hopper", Email = "grace@example.com", City = "New York" };
        grace.Orders.Add(NewOrder(4, new DateTime(2024, 3, 2), OrderStatus.Shipped, new DateTime(2024, 3, 5),
            ("Keyboard", 1, 89.90m), ("Mouse", 1, 24.10m)));
        grace.Orders.Add(NewOrder(5, new DateTime(2024, 3, 11), OrderStatus.Open, null,
            ("Monitor", 2, 199.00m)));

        var alan = new Customer { Id = 3, Name = "Alan Turing", Email = "alan@example.com", City = "Manchester" };
        alan.Orders.Add(NewOrder(6, new DateTime(2024, 3, 4), OrderStatus.Shipped, new DateTime(2024, 3, 6),
            ("Chess set", 1, 59.00m)));
        alan.Orders.Add(NewOrder(7, new DateTime(2024, 3, 13), OrderStatus.Open, null,
            ("Notebook", 5, 4.50m), ("Pencil", 10, 0.80m)));

        var edsger = new Customer { Id = 4, Name = "Edsger Dijkstra", Email = "edsger@example.com", City = "Eindhoven" };

        return new[] { ada, grace, alan, edsger };
    }

    private static Order NewOrder(
        int id,
        DateTime placedOn,
        OrderStatus status,
        DateTime? shippedOn,
        params (string Product, int Quantity, decimal UnitPrice)[] lines)
    {
        var order = new Order { Id = id, PlacedOn = placedOn, Status = status, ShippedOn = shippedOn };
        order.Lines.AddRange(lines.Select(line => new OrderLine
        {
            Product = line.Product,
            Quantity = line.Quantity,
            UnitPrice = line.UnitPrice,
        }));
        return order;
    }
}
