using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Inventory.Data;
using Inventory.Data.Repositories;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Inventory.Tests;

/// <summary>The data library on its own, as a worker or another host would use it: one connection, one SQLite file.</summary>
public sealed class RepositoryTests : IAsyncLifetime
{
    private static readonly DateTime Monday = new(2026, 3, 2, 8, 0, 0, DateTimeKind.Utc);

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"inventory-repo-test-{Guid.NewGuid():N}.db");
    private SqliteConnection _connection = null!;
    private InventoryDbContext _db = null!;

    public async Task InitializeAsync()
    {
        var connectionString = new SqliteConnectionStringBuilder { DataSource = _file }.ToString();
        _connection = new SqliteConnection(connectionString);
        _db = new InventoryDbContext(new DbContextOptionsBuilder<InventoryDbContext>().UseSqlite(connectionString).Options);
        await new DatabaseInitializer(_db).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Initializer_SeedsOnce()
    {
        await new DatabaseInitializer(_db).InitializeAsync();
        Assert.Equal(5, await new EquipmentRepository(_connection, new AuditLog(_connection)).CountAsync());
        Assert.Equal(3, _db.Locations.Count());
    }

    [Fact]
    public async Task CheckOut_TakesTheLastUnits_ThenRollsBack()
    {
        var audit = new AuditLog(_connection);
        var loans = new LoanRepository(_connection, audit);
        var equipment = new EquipmentRepository(_connection, audit);

        // Two oscilloscopes on the shelf: two loans, then none left and nothing written.
        Assert.Equal(2, await loans.CheckOutAsync(3, "Ari", Monday, Monday.AddDays(3)));
        Assert.Equal(3, await loans.CheckOutAsync(3, "Bo", Monday, Monday.AddDays(1)));
        Assert.Equal(0, await loans.CheckOutAsync(3, "Cy", Monday, Monday.AddDays(1)));
        Assert.Equal(0, equipment.GetById(3)!.Quantity);
        Assert.Equal(new[] { 1, 3, 2 }, loans.GetOpenLoans().Select(l => l.Id));
        Assert.Equal(2, audit.Count());

        Assert.True(await loans.ReturnAsync(3, Monday.AddHours(5)));
        Assert.False(await loans.ReturnAsync(3, Monday.AddHours(6)));
        Assert.Equal(Monday.AddHours(5), (await loans.FindAsync(3))!.ReturnedAt);
        Assert.Equal(1, equipment.GetById(3)!.Quantity);
        Assert.Equal(new[] { 1, 2 }, (await loans.GetOverdueAsync(Monday.AddDays(4))).Select(l => l.Id));
        Assert.Equal("Bo returned equipment 3", audit.Recent(1).Single());
    }

    [Fact]
    public async Task Stock_AddsUpUnitsByLocation()
    {
        var stock = new StockRepository(_db, new AuditLog(_connection));
        Assert.Equal(13, await stock.TotalUnitsAsync());
        Assert.Equal(new[] { ("Lab", 8), ("Main store", 5), ("Van 1", 0) }, stock.UnitsByLocation().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        Assert.True(await stock.MoveAsync(4, 1));
        Assert.Equal(new[] { ("Lab", 2), ("Main store", 11), ("Van 1", 0) }, stock.UnitsByLocation().OrderBy(p => p.Key).Select(p => (p.Key, p.Value)));
        Assert.Equal(new[] { "Lab", "Main store", "Van 1" }, (await stock.GetLocationsAsync()).Select(l => l.Name));
    }
}
