using System;
using System.Data.Common;
using System.Linq;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ShopApi.Data;

/// <summary>
/// Which database the API talks to. A PostgreSQL connection string (<c>ConnectionStrings:Postgres</c>) switches it to
/// PostgreSQL; without one it uses an SQLite file, so that <c>dotnet run</c> needs no server.
/// </summary>
public sealed class ShopDatabase
{
    private ShopDatabase(bool isPostgres, string connectionString)
    {
        IsPostgres = isPostgres;
        ConnectionString = connectionString;
    }

    public bool IsPostgres { get; }

    public string ConnectionString { get; }

    public string ProviderName => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>
    /// A query that takes about 20 ms on the server: the benchmark's unit of database work. SQLite has no sleep
    /// function, so there it is a plain query (and SQLite's I/O is synchronous anyway).
    /// </summary>
    public string SlowQuery => IsPostgres ? "select 1 from pg_sleep(0.02)" : "select 1";

    public static ShopDatabase FromSettings(string? postgres, string? sqliteFile)
        => string.IsNullOrWhiteSpace(postgres)
            ? new ShopDatabase(false, new SqliteConnectionStringBuilder { DataSource = sqliteFile ?? "shop.db" }.ToString())
            : new ShopDatabase(true, postgres);

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres)
        {
            options.UseNpgsql(ConnectionString);
        }
        else
        {
            options.UseSqlite(ConnectionString);
        }
    }

    /// <summary>A new, closed connection; with Npgsql, opening it takes one from the connection pool.</summary>
    public DbConnection CreateConnection()
        => IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);

    /// <summary>Creates the schema and the demo data when the database is new. Runs once, before the server starts.</summary>
    public static void EnsureSeeded(ShopContext db)
    {
        db.Database.EnsureCreated();
        if (db.Products.Any())
        {
            return;
        }

        db.Products.AddRange(
            new Product { Name = "Espresso beans 1 kg", Price = 24.90m, Stock = 40 },
            new Product { Name = "Filter paper", Price = 3.50m, Stock = 200 },
            new Product { Name = "Hand grinder", Price = 89.00m, Stock = 5 },
            new Product { Name = "Milk jug", Price = 15.00m, Stock = 0 });
        db.Customers.AddRange(
            new Customer { Name = "Ada Lovelace", Email = "ada@example.com" },
            new Customer { Name = "Grace Hopper", Email = "grace@example.com" });
        db.SaveChanges();
    }
}
