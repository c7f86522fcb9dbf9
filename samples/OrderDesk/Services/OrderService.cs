using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using OrderDesk.Data;

namespace OrderDesk.Services;

public sealed record NewOrderLine(string Product, int Quantity, decimal UnitPrice);

/// <summary>The order workflow: place, ship, cancel.</summary>
public sealed class OrderService
{
    private readonly OrderDeskContext _db;

    public OrderService(OrderDeskContext db)
    {
        _db = db;
    }

    public async Task<Order> PlaceOrderAsync(int customerId, DateTime placedOn, IEnumerable<NewOrderLine> lines)
    {
        var customer = await _db.Customers.FindAsync(customerId)
            ?? throw new InvalidOperationException($"Customer {customerId} does not exist.");

        var order = new Order { Customer = customer, PlacedOn = placedOn, Status = OrderStatus.Open };
        foreach (var line in lines)
        {
            if (line.Quantity <= 0)
            {
                throw new ArgumentException($"Quantity of '{line.Product}' must be positive.", nameof(lines));
            }

            order.Lines.Add(new OrderLine { Product = line.Product, Quantity = line.Quantity, UnitPrice = line.UnitPrice });
        }

        _db.Orders.Add(order);
        _db.SaveChanges();
        return order;
    }

    public async Task ShipOrderAsync(int orderId, DateTime shippedOn)
    {
        var order = await _db.Orders.FirstAsync(o => o.Id == orderId);
        if (order.Status != OrderStatus.Open)
        {
            throw new InvalidOperationException($"Order {orderId} is {order.Status}; only open orders can be shipped.");
        }

        order.Status = OrderStatus.Shipped;
        order.ShippedOn = shippedOn;
        _db.SaveChangesAsync().Wait();
    }

    /// <summary>Cancels an open order; returns false when the order is no longer open.</summary>
    public async Task<bool> CancelOrderAsync(int orderId)
    {
        var order = _db.Orders.First(o => o.Id == orderId);
        if (order.Status != OrderStatus.Open)
        {
            return false;
        }

        order.Status = OrderStatus.Cancelled;
        await _db.SaveChangesAsync();
        return true;
    }
}
