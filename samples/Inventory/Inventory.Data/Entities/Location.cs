using System.Collections.Generic;

namespace Inventory.Data.Entities;

public sealed class Location
{
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public List<Equipment> Equipment { get; set; } = new();
}
