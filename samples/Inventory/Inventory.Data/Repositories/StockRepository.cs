using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Inventory.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Data.Repositories;

public interface IStockRepository
{
    List<Location> GetLocations();

    Task<List<Location>> GetLocationsAsync();

    Task<bool> MoveAsync(int equipmentId, int locationId);

    Task<int> TotalUnitsAsync();

    Dictionary<string, int> UnitsByLocation();
}

/// <summary>Locations and stock through EF Core.</summary>
public sealed class StockRepository : IStockRepository
{
    private readonly InventoryDbContext _db;
    private readonly AuditLog _audit;

    public StockRepository(InventoryDbContext db, AuditLog audit)
    {
        _db = db;
        _audit = audit;
    }

    public List<Location> GetLocations() => _db.Locations.AsNoTracking().OrderBy(l => l.Name).ToList();

    public Task<List<Location>> GetLocationsAsync() => Task.FromResult(GetLocations());

    public async Task<bool> MoveAsync(int equipmentId, int locationId)
    {
        var equipment = _db.Equipment.Find(equipmentId);
        if (equipment is null || !_db.Locations.Any(l => l.Id == locationId))
        {
            return false;
        }

        equipment.LocationId = locationId;
        await _db.SaveChangesAsync();
        _audit.Write($"moved {equipment.SerialNumber} to location {locationId}");
        return true;
    }

    public async Task<int> TotalUnitsAsync() => await Task.Run(() => _db.Equipment.Sum(e => e.Quantity));

    public Dictionary<string, int> UnitsByLocation()
        => _db.Equipment
            .GroupBy(e => e.Location!.Name)
            .Select(g => new { Location = g.Key, Units = g.Sum(e => e.Quantity) })
            .ToDictionary(r => r.Location, r => r.Units);
}
