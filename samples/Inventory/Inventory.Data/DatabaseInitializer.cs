using System;
using System.Linq;
using System.Threading.Tasks;
using Inventory.Data.Entities;

namespace Inventory.Data;

/// <summary>Creates the schema and the demo stock when the database file is new.</summary>
public sealed class DatabaseInitializer
{
    private readonly InventoryDbContext _db;

    public DatabaseInitializer(InventoryDbContext db) => _db = db;

    /// <summary>For the host's start-up code, which is synchronous.</summary>
    public void Initialize() => InitializeAsync().GetAwaiter().GetResult();

    public async Task InitializeAsync()
    {
        _db.Database.EnsureCreated();
        if (_db.Locations.Any())
        {
            return;
        }

        var store = new Location { Id = 1, Name = "Main store" };
        var lab = new Location { Id = 2, Name = "Lab" };
        var van = new Location { Id = 3, Name = "Van 1" };
        _db.Locations.AddRange(store, lab, van);
        _db.Equipment.AddRange(
            new Equipment { Id = 1, SerialNumber = "SN-1001", Name = "Cordless drill", Category = "Tools", LocationId = store.Id, Quantity = 4, ReorderLevel = 2 },
            new Equipment { Id = 2, SerialNumber = "SN-1002", Name = "Laser level", Category = "Tools", LocationId = store.Id, Quantity = 1, ReorderLevel = 2 },
            new Equipment { Id = 3, SerialNumber = "SN-2001", Name = "Oscilloscope", Category = "Electronics", LocationId = lab.Id, Quantity = 2, ReorderLevel = 1 },
            new Equipment { Id = 4, SerialNumber = "SN-2002", Name = "Multimeter", Category = "Electronics", LocationId = lab.Id, Quantity = 6, ReorderLevel = 3 },
            new Equipment { Id = 5, SerialNumber = "SN-3001", Name = "Ladder 3 m", Category = "Access", LocationId = van.Id, Quantity = 0, ReorderLevel = 1 });
        // One oscilloscope has been out since January and is overdue.
        _db.Loans.Add(new Loan
        {
            Id = 1,
            EquipmentId = 3,
            Borrower = "Dana",
            LoanedAt = new DateTime(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc),
            DueAt = new DateTime(2026, 1, 12, 17, 0, 0, DateTimeKind.Utc),
        });
        await _db.SaveChangesAsync();
    }
}
