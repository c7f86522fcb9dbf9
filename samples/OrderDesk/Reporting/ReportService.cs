using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using OrderDesk.Services;

namespace OrderDesk.Reporting;

/// <summary>Gathers the figures of the desk report.</summary>
public sealed class ReportService
{
    private readonly OrderRepository _orders;
    private readonly CustomerDirectory _directory;

    public ReportService(OrderRepository orders, CustomerDirectory directory)
    {
        _orders = orders;
        _directory = directory;
    }

    public async Task<DeskReport> BuildAsync(DateTime asOf)
    {
        var customers = await _orders.GetCustomersAsync();
        var counts = await _orders.CountOrdersAsync();

        var openOrders = (await _orders.GetOpenOrdersAsync())
            .Select(o => new OpenOrderRow(o.Id, o.PlacedOn, o.Customer?.Name ?? "?", o.Lines.Count, o.Total))
            .ToList();

        var ordersPerCustomer = await _directory.GetOrderCountsAsync();

        var revenue = new List<CustomerRevenue>();
        foreach (var customer in customers)
        {
            revenue.Add(new CustomerRevenue(customer.Name, await _orders.GetShippedRevenueAsync(customer.Id)));
        }

        var revenueRanking = revenue
            .OrderByDescending(r => r.ShippedRevenue)
            .ThenBy(r => r.Customer, StringComparer.Ordinal)
            .ToList();

        var units = await _orders.GetUnitsByProductAsync();

        return new DeskReport(asOf, customers.Count, counts, openOrders, ordersPerCustomer, revenueRanking, units);
    }
}
