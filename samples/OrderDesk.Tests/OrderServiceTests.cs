using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using OrderDesk.Data;
using OrderDesk.Services;
using Xunit;

namespace OrderDesk.Tests;

public sealed class OrderServiceTests : SeededDatabaseTest
{
    [Fact]
    public async Task PlaceOrderAsync_StoresTheOrderAndItsLines()
    {
        int orderId;
        await using (var db = NewContext())
        {
            var order = await new OrderService(db).PlaceOrderAsync(
                4,
                new DateTime(2024, 3, 14),
                new[] { new NewOrderLine("Whiteboard", 1, 75.00m), new NewOrderLine("Marker", 4, 1.25m) });
            orderId = order.Id;
            Assert.Equal(80.00m, order.Total);
        }

        Assert.Equal(8, orderId);
        await using (var db = NewContext())
        {
            var stored = await db.Orders.Include(o => o.Lines).Include(o => o.Customer).SingleAsync(o => o.Id == orderId);
            Assert.Equal("Edsger Dijkstra", stored.Customer!.Name);
            Assert.Equal(OrderStatus.Open, stored.Status);
            Assert.Equal(new DateTime(2024, 3, 14), stored.PlacedOn);
            Assert.Equal(new[] { "Marker", "Whiteboard" }, stored.Lines.Select(l => l.Product).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Equal(80.00m, stored.Total);
        }
    }

    [Fact]
    public async Task PlaceOrderAsync_NonPositiveQuantity_ThrowsAndStoresNothing()
    {
        await using (var db = NewContext())
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() => new OrderService(db).PlaceOrderAsync(
                1,
                new DateTime(2024, 3, 14),
                new[] { new NewOrderLine("Notebook", 0, 4.50m) }));
            Assert.StartsWith("Quantity of 'Notebook' must be positive.", error.Message);
        }

        await using (var db = NewContext())
        {
            Assert.Equal(7, await db.Orders.CountAsync());
        }
    }

    [Fact]
    public async Task PlaceOrderAsync_UnknownCustomer_Throws()
    {
        await using var db = NewContext();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new OrderService(db).PlaceOrderAsync(
            99,
            new DateTime(2024, 3, 14),
            new[] { new NewOrderLine("Notebook", 1, 4.50m) }));

        Assert.Equal("Customer 99 does not exist.", error.Message);
    }

    [Fact]
    public async Task ShipOrderAsync_MarksAnOpenOrderShipped()
    {
        await using (var db = NewContext())
        {
            await new OrderService(db).ShipOrderAsync(5, new DateTime(2024, 3, 15));
        }

        await using (var db = NewContext())
        {
            var order = await db.Orders.SingleAsync(o => o.Id == 5);
            Assert.Equal(OrderStatus.Shipped, order.Status);
            Assert.Equal(new DateTime(2024, 3, 15), order.ShippedOn);
        }
    }

    [Fact]
    public async Task ShipOrderAsync_CancelledOrder_Throws()
    {
        await using var db = NewContext();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new OrderService(db).ShipOrderAsync(3, new DateTime(2024, 3, 15)));

        Assert.Equal("Order 3 is Cancelled; only open orders can be shipped.", error.Message);
    }

    [Fact]
    public async Task CancelOrderAsync_OpenOrder_CancelsIt()
    {
        await using (var db = NewContext())
        {
            Assert.True(await new OrderService(db).CancelOrderAsync(7));
        }

        await using (var db = NewContext())
        {
            Assert.Equal(OrderStatus.Cancelled, (await db.Orders.SingleAsync(o => o.Id == 7)).Status);
        }
    }

    [Fact]
    public async Task CancelOrderAsync_ShippedOrder_ReturnsFalseAndKeepsIt()
    {
        await using (var db = NewContext())
        {
            Assert.False(await new OrderService(db).CancelOrderAsync(1));
        }

        await using (var db = NewContext())
        {
            Assert.Equal(OrderStatus.Shipped, (await db.Orders.SingleAsync(o => o.Id == 1)).Status);
        }
    }

    [Fact]
    public async Task CancelOrderAsync_UnknownOrder_Throws()
    {
        await using var db = NewContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() => new OrderService(db).CancelOrderAsync(404));
    }
}
