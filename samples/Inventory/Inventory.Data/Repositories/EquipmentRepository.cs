using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Inventory.Data.Entities;

namespace Inventory.Data.Repositories;

public interface IEquipmentRepository
{
    IReadOnlyList<Equipment> GetAllEquipment();

    Equipment? GetById(int id);

    Task<Equipment?> GetBySerialAsync(string serialNumber);

    Task<int> CountAsync();

    int Add(Equipment equipment);

    Task<bool> SetQuantityAsync(int id, int quantity);

    IReadOnlyList<Equipment> GetBelowReorderLevel();
}

/// <summary>Equipment through Dapper over the request's <see cref="IDbConnection"/>.</summary>
public sealed class EquipmentRepository : IEquipmentRepository
{
    private const string SelectEquipment =
        "select Id, SerialNumber, Name, Category, LocationId, Quantity, ReorderLevel from Equipment";

    private readonly IDbConnection _connection;
    private readonly AuditLog _audit;

    public EquipmentRepository(IDbConnection connection, AuditLog audit)
    {
        _connection = connection;
        _audit = audit;
    }

    public IReadOnlyList<Equipment> GetAllEquipment()
        => _connection.Query<Equipment>(SelectEquipment + " order by Name").ToList();

    public Equipment? GetById(int id)
        => _connection.QuerySingleOrDefault<Equipment>(SelectEquipment + " where Id = @id", new { id });

    public Task<Equipment?> GetBySerialAsync(string serialNumber)
        => Task.FromResult(_connection.QuerySingleOrDefault<Equipment>(
            SelectEquipment + " where SerialNumber = @serialNumber", new { serialNumber }));

    public async Task<int> CountAsync()
        => await Task.Run(() => _connection.ExecuteScalar<int>("select count(*) from Equipment"));

    public int Add(Equipment equipment)
    {
        var id = _connection.ExecuteScalar<int>(
            """
            insert into Equipment (SerialNumber, Name, Category, LocationId, Quantity, ReorderLevel)
            values (@SerialNumber, @Name, @Category, @LocationId, @Quantity, @ReorderLevel);
            select last_insert_rowid();
            """,
            equipment);
        _audit.Write($"registered {equipment.SerialNumber} ({equipment.Name})");
        return id;
    }

    public async Task<bool> SetQuantityAsync(int id, int quantity)
    {
        var current = GetById(id);
        if (current is null)
        {
            return false;
        }

        var changed = await _connection.ExecuteAsync("update Equipment set Quantity = @quantity where Id = @id", new { id, quantity });
        _audit.Write($"counted {current.SerialNumber}: {current.Quantity} -> {quantity}");
        return changed == 1;
    }

    public IReadOnlyList<Equipment> GetBelowReorderLevel()
        => _connection.Query<Equipment>(SelectEquipment + " where Quantity < ReorderLevel order by Name").ToList();
}
