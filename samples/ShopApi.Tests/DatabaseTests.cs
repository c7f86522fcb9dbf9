using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit;

namespace ShopApi.Tests;

/// <summary>The API on an SQLite file of its own, deleted afterwards: the default of <c>dotnet run</c>.</summary>
public sealed class SqliteShopApiTests : ShopApiTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"shopapi-test-{Guid.NewGuid():N}.db");

    protected override string ExpectedProvider => "SQLite";

    protected override Task<string[]> DatabaseSettingsAsync() => Task.FromResult(new[] { $"--Sqlite:File={_file}" });

    protected override Task DeleteDatabaseAsync()
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return Task.CompletedTask;
    }
}

/// <summary>The API on a PostgreSQL database of its own (created by EF Core's EnsureCreated, dropped afterwards).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresShopApiTests : ShopApiTests
{
    private readonly PostgresCluster _cluster;
    private readonly string _database = $"shopapi_test_{Guid.NewGuid():N}";

    public PostgresShopApiTests(PostgresCluster cluster) => _cluster = cluster;

    protected override string ExpectedProvider => "PostgreSQL";

    protected override Task<string[]> DatabaseSettingsAsync()
    {
        if (_cluster.ServerConnectionString is null)
        {
            throw new InvalidOperationException($"no PostgreSQL server for the tests: {_cluster.Problem}");
        }

        var builder = new NpgsqlConnectionStringBuilder(_cluster.ServerConnectionString) { Database = _database };
        return Task.FromResult(new[] { $"--ConnectionStrings:Postgres={builder}" });
    }

    protected override async Task DeleteDatabaseAsync()
    {
        if (_cluster.ServerConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_cluster.ServerConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{_database}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
