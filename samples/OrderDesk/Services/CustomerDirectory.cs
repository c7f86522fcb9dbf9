using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using OrderDesk.Data;

namespace OrderDesk.Services;

public sealed class CustomerOrderCount
{
    public string Name { get; set; } = "";

    public int OrderCount { get; set; }
}

/// <summary>Customer look-ups written in SQL with Dapper, on the DbContext's own SQLite connection.</summary>
public sealed class CustomerDirectory
{
    private readonly OrderDeskContext _db;

    public CustomerDirectory(OrderDeskContext db)
    {
        _db = db;
    }

    public async Task<IReadOnlyList<CustomerOrderCount>> GetOrderCountsAsync()
    {
        await _db.Database.OpenConnectionAsync();
        try
        {
            var connection = _db.Database.GetDbConnection();
            var rows = connection.Query<CustomerOrderCount>(
                """
                SELECT c.Name AS Name, COUNT(o.Id) AS OrderCount
                FROM Customers c
                LEFT JOIN Orders o ON o.CustomerId = c.Id
                GROUP BY c.Id, c.Name
                ORDER BY OrderCount DESC, c.Name
                """);
            return rows.ToList();
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    public async Task<Customer?> FindByEmailAsync(string email)
    {
        await _db.Database.OpenConnectionAsync();
        try
        {
            var connection = _db.Database.GetDbConnection();
            return await Task.Run(() => connection.QueryFirstOrDefault<Customer>(
                "SELECT Id, Name, Email, City FROM Customers WHERE Email = @email",
                new { email }));
        }
        finally
        {
            await _db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A one-line description for the console; the prompts that use it are synchronous.</summary>
    public string DescribeCustomer(int customerId)
    {
        var customer = _db.Customers.FindAsync(customerId).AsTask().GetAwaiter().GetResult();
        return customer is null ? $"customer #{customerId} (unknown)" : $"{customer.Name} <{customer.Email}>";
    }
}
