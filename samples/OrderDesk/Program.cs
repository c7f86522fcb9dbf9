using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using OrderDesk.Data;
using OrderDesk.Reporting;
using OrderDesk.Services;

namespace OrderDesk;

public static class Program
{
    /// <summary>Usage: OrderDesk [database-file]; the file is recreated on every run.</summary>
    public static int Main(string[] args)
    {
        var databasePath = args.Length > 0 ? args[0] : Path.Combine(Environment.CurrentDirectory, "orderdesk.db");
        return RunAsync(databasePath, Console.Out).GetAwaiter().GetResult();
    }

    public static async Task<int> RunAsync(string databasePath, TextWriter output)
    {
        using var db = OrderDeskContext.ForFile(databasePath);

        var customers = await new DatabaseSeeder(db).ResetAsync();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seeded {customers} customers into {Path.GetFileName(databasePath)}"));

        var orders = new OrderService(db);
        var directory = new CustomerDirectory(db);

        var edsger = await directory.FindByEmailAsync("edsger@example.com")
            ?? throw new InvalidOperationException("The demo data has no customer edsger@example.com.");
        var placed = await orders.PlaceOrderAsync(
            edsger.Id,
            new DateTime(2024, 3, 14),
            new[] { new NewOrderLine("Whiteboard", 1, 75.00m), new NewOrderLine("Marker", 4, 1.25m) });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Placed order #{placed.Id} for {directory.DescribeCustomer(edsger.Id)}: {placed.Lines.Count} line(s), total {placed.Total:0.00}"));

        await orders.ShipOrderAsync(2, new DateTime(2024, 3, 15));
        output.WriteLine("Shipped order #2");

        foreach (var orderId in new[] { 5, 1 })
        {
            var cancelled = await orders.CancelOrderAsync(orderId);
            output.WriteLine(cancelled ? $"Cancelled order #{orderId}" : $"Order #{orderId} is no longer open and was not cancelled");
        }

        output.WriteLine();
        var report = await new ReportService(new OrderRepository(db), directory).BuildAsync(new DateTime(2024, 3, 15));
        ReportPrinter.Print(report, output);
        return 0;
    }
}
