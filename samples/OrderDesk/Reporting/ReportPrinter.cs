using System.Globalization;
using System.IO;

namespace OrderDesk.Reporting;

/// <summary>Writes the desk report as plain text; invariant culture, so the output is the same everywhere.</summary>
public static class ReportPrinter
{
    public static void Print(DeskReport report, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;

        output.WriteLine(string.Create(culture, $"OrderDesk report as of {report.AsOf:yyyy-MM-dd}"));
        output.WriteLine(string.Create(culture, $"Customers: {report.CustomerCount}"));
        output.WriteLine(string.Create(culture,
            $"Orders: {report.Orders.Total} (open {report.Orders.Open}, shipped {report.Orders.Shipped}, cancelled {report.Orders.Cancelled})"));

        output.WriteLine();
        output.WriteLine("Open orders");
        foreach (var row in report.OpenOrders)
        {
            output.WriteLine(string.Create(culture,
                $"  #{row.OrderId,-3} {row.PlacedOn:yyyy-MM-dd}  {row.Customer,-16} {row.LineCount} line(s) {row.Total,9:0.00}"));
        }

        output.WriteLine();
        output.WriteLine("Orders per customer");
        foreach (var row in report.OrdersPerCustomer)
        {
            output.WriteLine(string.Create(culture, $"  {row.Name,-16} {row.OrderCount,3}"));
        }

        output.WriteLine();
        output.WriteLine("Shipped revenue per customer");
        foreach (var row in report.RevenuePerCustomer)
        {
            output.WriteLine(string.Create(culture, $"  {row.Customer,-16} {row.ShippedRevenue,9:0.00}"));
        }

        output.WriteLine(string.Create(culture, $"  {"Total",-16} {report.TotalShippedRevenue,9:0.00}"));

        output.WriteLine();
        output.WriteLine("Units per product (cancelled orders left out)");
        foreach (var row in report.UnitsPerProduct)
        {
            output.WriteLine(string.Create(culture, $"  {row.Product,-16} {row.Units,3}"));
        }
    }
}
