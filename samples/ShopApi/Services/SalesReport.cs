using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Threading.Tasks;

namespace ShopApi.Services;

public interface ISalesReport
{
    Task<List<ProductSales>> GetSalesByProductAsync();
}

/// <summary>A report in raw ADO.NET over the request's connection.</summary>
public sealed class SalesReport : ISalesReport
{
    private readonly DbConnection _connection;

    public SalesReport(DbConnection connection) => _connection = connection;

    // Blocks on the whole report, then returns a finished task.
    public Task<List<ProductSales>> GetSalesByProductAsync()
    {
        var sales = new List<ProductSales>();
        if (_connection.State != ConnectionState.Open)
        {
            _connection.Open();
        }

        using var command = _connection.CreateCommand();
        command.CommandText = """
            select p."Name", sum(l."Quantity"), sum(l."Quantity" * l."UnitPrice")
            from "OrderLines" l join "Products" p on p."Id" = l."ProductId"
            group by p."Name" order by p."Name"
            """;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            sales.Add(new ProductSales(reader.GetString(0), reader.GetInt64(1), reader.GetDecimal(2)));
        }

        return Task.FromResult(sales);
    }
}
