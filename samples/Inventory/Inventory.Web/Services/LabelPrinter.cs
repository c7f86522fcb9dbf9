using System.Globalization;

namespace Inventory.Web.Services;

/// <summary>The text of the label stuck on a shelf. A synchronous API, as the label printer's driver wants it.</summary>
public sealed class LabelPrinter
{
    private readonly IEquipmentService _equipment;

    public LabelPrinter(IEquipmentService equipment) => _equipment = equipment;

    public string? Print(int equipmentId)
    {
        var equipment = _equipment.Get(equipmentId);
        return equipment is null ? null : Format(equipment);
    }

    private static string Format(EquipmentDto equipment)
        => string.Create(CultureInfo.InvariantCulture, $"{equipment.Name}\n{equipment.SerialNumber}\n{equipment.Category} / location {equipment.LocationId}");
}
