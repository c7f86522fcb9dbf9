using System;
using System.Linq;
using System.Threading.Tasks;
using OrderDesk.Reporting;
using OrderDesk.Services;
using Xunit;

namespace OrderDesk.Tests;

public sealed class ReportServiceTests : SeededDatabaseTest
{
    [Fact]
    public async Task BuildAsync_OnTheDemoData_GathersEveryFigure()
    {
        await using var db = NewContext();
        var report = await new ReportService(new OrderRepository(db), new CustomerDirectory(db)).BuildAsync(new DateTime(2024, 3, 15));

        Assert.Equal(new DateTime(2024, 3, 15), report.AsOf);
        Assert.Equal(4, report.CustomerCount);
        Assert.Equal(new OrderCounts(3, 3, 1), report.Orders);
        Assert.Equal(
            new[]
            {
                new OpenOrderRow(2, new DateTime(2024, 3, 10), "Ada Lovelace", 1, 16.50m),
                new OpenOrderRow(5, new DateTime(2024, 3, 11), "Grace Hopper", 1, 398.00m),
                new OpenOrderRow(7, new DateTime(2024, 3, 13), "Alan Turing", 2, 30.50m),
            },
            report.OpenOrders);
        Assert.Equal(
            new[]
            {
                new CustomerRevenue("Grace Hopper", 114.00m),
                new CustomerRevenue("Alan Turing", 59.00m),
                new CustomerRevenue("Ada Lovelace", 48.50m),
                new CustomerRevenue("Edsger Dijkstra", 0m),
            },
            report.RevenuePerCustomer);
        Assert.Equal(221.50m, report.TotalShippedRevenue);
        Assert.Equal(new[] { 3, 2, 2, 0 }, report.OrdersPerCustomer.Select(c => c.OrderCount));
        Assert.Equal(26, report.UnitsPerProduct.Sum(p => p.Units));
    }

    [Fact]
    public async Task BuildAsync_AfterShippingAnOrder_MovesItFromOpenToRevenue()
    {
        await using var db = NewContext();
        await new OrderService(db).ShipOrderAsync(5, new DateTime(2024, 3, 15));

        var report = await new ReportService(new OrderRepository(db), new CustomerDirectory(db)).BuildAsync(new DateTime(2024, 3, 15));

        Assert.Equal(new OrderCounts(2, 4, 1), report.Orders);
        Assert.DoesNotContain(report.OpenOrders, row => row.OrderId == 5);
        Assert.Equal(512.00m, report.RevenuePerCustomer.Single(r => r.Customer == "Grace Hopper").ShippedRevenue);
        Assert.Equal("Grace Hopper", report.RevenuePerCustomer[0].Customer);
        Assert.Equal(619.50m, report.TotalShippedRevenue);
    }
}
