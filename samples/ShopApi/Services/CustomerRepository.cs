using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using ShopApi.Data;

namespace ShopApi.Services;

public interface ICustomerRepository
{
    Task<List<Customer>> GetCustomersAsync();

    Task<Customer?> FindByEmailAsync(string email);

    Task<int> CreateAsync(string name, string email);
}

/// <summary>Customers through Dapper, over the request's <see cref="IDbConnection"/> (Dapper opens and closes it).</summary>
public sealed class CustomerRepository : ICustomerRepository
{
    private readonly IDbConnection _connection;

    public CustomerRepository(IDbConnection connection) => _connection = connection;

    // The quoted names are EF Core's table and column names; the same SQL runs on PostgreSQL and SQLite.
    public async Task<List<Customer>> GetCustomersAsync()
        => await Task.Run(() => _connection.Query<Customer>("""select "Id", "Name", "Email" from "Customers" order by "Id" """).ToList());

    public Task<Customer?> FindByEmailAsync(string email)
        => Task.FromResult(_connection.QueryFirstOrDefault<Customer>(
            """select "Id", "Name", "Email" from "Customers" where "Email" = @email""",
            new { email }));

    public async Task<int> CreateAsync(string name, string email)
    {
        var existing = await FindByEmailAsync(email);
        if (existing is not null)
        {
            return existing.Id;
        }

        // Blocking Dapper call in an async method.
        return _connection.ExecuteScalar<int>(
            """insert into "Customers" ("Name", "Email") values (@name, @email) returning "Id" """,
            new { name, email });
    }
}
