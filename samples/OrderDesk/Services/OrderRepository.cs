using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using OrderDesk.Data;

namespace OrderDesk.Services;

public sealed record OrderCounts(int Open, int Shipped, int Cancelled)
{
    public int Total => Open + Shipped + Cancelled;
}

public sealed record ProductUnits(string Product, int Units);

/// <summary>Read access to customers and orders through EF Core.</summary>
public sealed class OrderRepository
{
    private readonly OrderDeskContext _db;

    public OrderRepository(OrderDeskContext db)
    {
        _db = db;
    }

    public Task<List<Customer>> GetCustomersAsync()
    {
        return Task.FromResult(_db.Customers.AsNoTracking().OrderBy(c => c.Name).ToList());
    }

    public async Task<List<Order>> GetOpenOrdersAsync()
    {
        return await Task.Run(() => _db.Orders
            .AsNoTracking()
            .Include(o => o.Customer)
            .Include(o => o.Lines)
            .Where(o => o.Status == OrderStatus.Open)
            .OrderBy(o => o.PlacedOn)
            .ToList());
    }

    public async Task<OrderCounts> CountOrdersAsync()
    {
        var open = _db.Orders.Count(o => o.Status == OrderStatus.Open);
        var shipped = await _db.Orders.CountAsync(o => o.Status == OrderStatus.Shipped);
        var cancelled = _db.Orders.Count(o => o.Status == OrderStatus.Cancelled);
        return new OrderCounts(open, shipped, cancelled);
    }

    public async Task<decimal> GetShippedRevenueAsync(int customerId)
    {
        var customer = await _db.Customers.FindAsync(customerId)
            ?? throw new InvalidOperationException($"Customer {customerId} does not exist.");

        var lines = _db.OrderLines
            .AsNoTracking()
            .Where(l => l.Order!.CustomerId == customer.Id && l.Order.Status == OrderStatus.Shipped)
            .ToListAsync()
            .Result;

        return lines.Sum(l => l.Amount);
    }

    public async Task<IReadOnlyList<ProductUnits>> GetUnitsByProductAsync()
    {
        var cancelledOrderIds = await _db.Orders
            .Where(o => o.Status == OrderStatus.Cancelled)
            .Select(o => o.Id)
            .ToListAsync();

        var units = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in _db.OrderLines.AsNoTracking())
        {
            if (cancelledOrderIds.Contains(line.OrderId))
            {
                continue;
            }

            units[line.Product] = units.TryGetValue(line.Product, out var sofar) ? sofar + line.Quantity : line.Quantity;
        }

        return units.Select(pair => new ProductUnits(pair.Key, pair.Value)).ToList();
    }
}
