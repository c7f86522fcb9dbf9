namespace Inventory.Data.Entities;

/// <summary>A kind of equipment kept in stock: so many units of one model at one location.</summary>
public sealed class Equipment
{
    public int Id { get; set; }

    public string SerialNumber { get; set; } = "";

    public string Name { get; set; } = "";

    public string Category { get; set; } = "";

    public int LocationId { get; set; }

    public Location? Location { get; set; }

    /// <summary>Units on the shelf (units on loan are not counted).</summary>
    public int Quantity { get; set; }

    /// <summary>Below this many units on the shelf the item is reported as low stock.</summary>
    public int ReorderLevel { get; set; }
}
