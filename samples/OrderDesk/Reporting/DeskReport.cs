using System;
using System.Collections.Generic;
using OrderDesk.Services;

namespace OrderDesk.Reporting;

public sealed record OpenOrderRow(int OrderId, DateTime PlacedOn, string Customer, int LineCount, decimal Total);

public sealed record CustomerRevenue(string Customer, decimal ShippedRevenue);

public sealed record DeskReport(
    DateTime AsOf,
    int CustomerCount,
    OrderCounts Orders,
    IReadOnlyList<OpenOrderRow> OpenOrders,
    IReadOnlyList<CustomerOrderCount> OrdersPerCustomer,
    IReadOnlyList<CustomerRevenue> RevenuePerCustomer,
    IReadOnlyList<ProductUnits> UnitsPerProduct)
{
    public decimal TotalShippedRevenue
    {
        get
        {
            var total = 0m;
            foreach (var row in RevenuePerCustomer)
            {
                total += row.ShippedRevenue;
            }

            return total;
        }
    }
}
