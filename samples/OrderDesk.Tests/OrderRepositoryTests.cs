using System;
using System.Linq;
using System.Threading.Tasks;
using OrderDesk.Services;
using Xunit;

namespace OrderDesk.Tests;

public sealed class OrderRepositoryTests : SeededDatabaseTest
{
    [Fact]
    public async Task GetCustomersAsync_ReturnsAllCustomersByName()
    {
        await using var db = NewContext();
        var customers = await new OrderRepository(db).GetCustomersAsync();

        Assert.Equal(
            new[] { "Ada Lovelace", "Alan Turing", "Edsger Dijkstra", "Grace Hopper" },
            customers.Select(c => c.Name));
        Assert.Equal("Eindhoven", customers.Single(c => c.Email == "edsger@example.com").City);
    }

    [Fact]
    public async Task GetOpenOrdersAsync_ReturnsOpenOrdersOldestFirstWithCustomerAndLines()
    {
        await using var db = NewContext();
        var open = await new OrderRepository(db).GetOpenOrdersAsync();

        Assert.Equal(new[] { 2, 5, 7 }, open.Select(o => o.Id));
        Assert.Equal(new[] { "Ada Lovelace", "Grace Hopper", "Alan Turing" }, open.Select(o => o.Customer!.Name));
        Assert.Equal(new[] { 16.50m, 398.00m, 30.50m }, open.Select(o => o.Total));
        Assert.Equal(2, open[2].Lines.Count);
    }

    [Fact]
    public async Task CountOrdersAsync_CountsEachStatus()
    {
        await using var db = NewContext();
        var counts = await new OrderRepository(db).CountOrdersAsync();

        Assert.Equal(new OrderCounts(Open: 3, Shipped: 3, Cancelled: 1), counts);
        Assert.Equal(7, counts.Total);
    }

    [Theory]
    [InlineData(1, "48.50")]
    [InlineData(2, "114.00")]
    [InlineData(3, "59.00")]
    [InlineData(4, "0")]
    public async Task GetShippedRevenueAsync_SumsTheShippedLinesOfTheCustomer(int customerId, string expected)
    {
        await using var db = NewContext();
        var revenue = await new OrderRepository(db).GetShippedRevenueAsync(customerId);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), revenue);
    }

    [Fact]
    public async Task GetShippedRevenueAsync_UnknownCustomer_Throws()
    {
        await using var db = NewContext();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new OrderRepository(db).GetShippedRevenueAsync(42));

        Assert.Equal("Customer 42 does not exist.", error.Message);
    }

    [Fact]
    public async Task GetUnitsByProductAsync_AddsUpUnitsOutsideCancelledOrders()
    {
        await using var db = NewContext();
        var units = await new OrderRepository(db).GetUnitsByProductAsync();

        Assert.Equal(
            new[]
            {
                new ProductUnits("Chess set", 1),
                new ProductUnits("Fountain pen", 1),
                new ProductUnits("Ink bottle", 2),
                new ProductUnits("Keyboard", 1),
                new ProductUnits("Monitor", 2),
                new ProductUnits("Mouse", 1),
                new ProductUnits("Notebook", 8),
                new ProductUnits("Pencil", 10),
            },
            units);
        Assert.DoesNotContain(units, u => u.Product == "Desk lamp");
    }
}
