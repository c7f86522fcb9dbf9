using System;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Threading.Tasks;
using Dapper;
using ShopApi.Data;

namespace ShopApi.Services;

public interface ILatencyProbe
{
    /// <summary>Runs <see cref="ShopDatabase.SlowQuery"/> (about 20 ms on PostgreSQL) and returns its result, 1.</summary>
    Task<int> QueryAsync();
}

/// <summary>
/// The benchmark's endpoint, written the way much code is: a pool thread blocked on the query for its whole
/// duration. TrueAsync's fix turns it into the true async call; the load benchmark measures both.
/// </summary>
public sealed class LatencyProbe : ILatencyProbe
{
    private readonly IDbConnection _connection;
    private readonly ShopDatabase _database;

    public LatencyProbe(IDbConnection connection, ShopDatabase database)
    {
        _connection = connection;
        _database = database;
    }

    public Task<int> QueryAsync() => Task.Run(() => _connection.ExecuteScalar<int>(_database.SlowQuery));
}

/// <summary>The same query written by hand with the true async API: the reference row of the benchmark.</summary>
public sealed class TrueAsyncLatencyProbe
{
    private readonly DbConnection _connection;
    private readonly ShopDatabase _database;

    public TrueAsyncLatencyProbe(DbConnection connection, ShopDatabase database)
    {
        _connection = connection;
        _database = database;
    }

    public async Task<int> QueryAsync()
    {
        await _connection.OpenAsync();
        await using var command = _connection.CreateCommand();
        command.CommandText = _database.SlowQuery;
        var result = await command.ExecuteScalarAsync();
        await _connection.CloseAsync();
        return Convert.ToInt32(result, CultureInfo.InvariantCulture);
    }
}
