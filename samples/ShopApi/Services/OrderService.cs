using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using ShopApi.Data;

namespace ShopApi.Services;

public interface IOrderService
{
    Task<OrderView> PlaceOrderAsync(PlaceOrderRequest request);

    Task<OrderView?> GetOrderAsync(int id);

    Task<List<OrderView>> GetOrdersOfCustomerAsync(int customerId);
}

/// <summary>Orders over EF Core: validation, stock, totals.</summary>
public sealed class OrderService : IOrderService
{
    private readonly ShopContext _db;

    public OrderService(ShopContext db) => _db = db;

    public async Task<OrderView> PlaceOrderAsync(PlaceOrderRequest request)
    {
        if (request.Lines.Count == 0 || request.Lines.Any(l => l.Quantity <= 0))
        {
            throw new OrderRejectedException("an order needs at least one line, each with a positive quantity");
        }

        // Blocking EF Core calls in an async method, although FindAsync, ToListAsync and SaveChangesAsync exist.
        var customer = _db.Customers.Find(request.CustomerId)
            ?? throw new OrderRejectedException($"no customer {request.CustomerId}");
        var productIds = request.Lines.Select(l => l.ProductId).Distinct().ToList();
        var products = _db.Products.Where(p => productIds.Contains(p.Id)).ToList();

        var order = new Order { CustomerId = customer.Id, PlacedAt = DateTime.UtcNow };
        foreach (var line in request.Lines)
        {
            // LINQ over the list loaded above: in memory, nothing to report.
            var product = products.FirstOrDefault(p => p.Id == line.ProductId)
                ?? throw new OrderRejectedException($"no product {line.ProductId}");
            if (product.Stock < line.Quantity)
            {
                throw new OrderRejectedException($"only {product.Stock} of '{product.Name}' in stock");
            }

            product.Stock -= line.Quantity;
            order.Lines.Add(new OrderLine { ProductId = product.Id, Quantity = line.Quantity, UnitPrice = product.Price });
        }

        _db.Orders.Add(order);
        _db.SaveChanges();
        return await GetOrderAsync(order.Id) ?? throw new InvalidOperationException("the order just saved is gone");
    }

    public async Task<OrderView?> GetOrderAsync(int id)
    {
        var order = await _db.Orders.AsNoTracking().Include(o => o.Customer).FirstOrDefaultAsync(o => o.Id == id);
        if (order is null)
        {
            return null;
        }

        // Half converted: the lines are loaded asynchronously and then waited for (sync over async).
        order.Lines = _db.OrderLines.AsNoTracking()
            .Include(l => l.Product)
            .Where(l => l.OrderId == id)
            .ToListAsync()
            .Result;
        return ToView(order);
    }

    // The query runs on a pool thread, which waits for the whole round trip.
    public Task<List<OrderView>> GetOrdersOfCustomerAsync(int customerId)
        => Task.Run(() => _db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == customerId)
            .Include(o => o.Customer)
            .Include(o => o.Lines).ThenInclude(l => l.Product)
            .OrderBy(o => o.Id)
            .ToList()
            .Select(ToView)
            .ToList());

    private static OrderView ToView(Order order)
        => new(
            order.Id,
            order.Customer?.Name ?? "",
            order.PlacedAt,
            order.Lines.Sum(l => l.UnitPrice * l.Quantity),
            order.Lines.OrderBy(l => l.Id).Select(l => new OrderLineView(l.Product?.Name ?? "", l.Quantity, l.UnitPrice)).ToList());
}
