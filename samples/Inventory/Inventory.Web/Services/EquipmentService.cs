using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Inventory.Data.Entities;
using Inventory.Data.Repositories;

namespace Inventory.Web.Services;

public interface IEquipmentService
{
    Task<IReadOnlyList<EquipmentDto>> ListAsync();

    Task<EquipmentDto?> GetAsync(int id);

    /// <summary>For the synchronous callers (label printing).</summary>
    EquipmentDto? Get(int id);

    /// <summary>The new item, or null when its serial number is taken.</summary>
    Task<EquipmentDto?> RegisterAsync(NewEquipment request);

    Task<bool> CountAsync(int id, int quantity);

    Task<IReadOnlyList<EquipmentDto>> LowStockAsync();
}

public sealed class EquipmentService : IEquipmentService
{
    private readonly IEquipmentRepository _repository;

    public EquipmentService(IEquipmentRepository repository) => _repository = repository;

    public Task<IReadOnlyList<EquipmentDto>> ListAsync()
        => Task.FromResult<IReadOnlyList<EquipmentDto>>(_repository.GetAllEquipment().Select(Map).ToList());

    public Task<EquipmentDto?> GetAsync(int id)
        => Task.Run(() => _repository.GetById(id) is { } equipment ? Map(equipment) : null);

    public EquipmentDto? Get(int id) => GetAsync(id).Result;

    public async Task<EquipmentDto?> RegisterAsync(NewEquipment request)
    {
        if (await _repository.GetBySerialAsync(request.SerialNumber) is not null)
        {
            return null;
        }

        var equipment = new Equipment
        {
            SerialNumber = request.SerialNumber,
            Name = request.Name,
            Category = request.Category,
            LocationId = request.LocationId,
            Quantity = request.Quantity,
            ReorderLevel = request.ReorderLevel,
        };
        equipment.Id = _repository.Add(equipment);
        return Map(equipment);
    }

    public Task<bool> CountAsync(int id, int quantity) => _repository.SetQuantityAsync(id, quantity);

    public async Task<IReadOnlyList<EquipmentDto>> LowStockAsync()
        => (await Task.Run(() => _repository.GetBelowReorderLevel())).Select(Map).ToList();

    private static EquipmentDto Map(Equipment e)
        => new(e.Id, e.SerialNumber, e.Name, e.Category, e.LocationId, e.Quantity, e.Quantity < e.ReorderLevel);
}
