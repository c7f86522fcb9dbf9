using System;

namespace Inventory.Data.Entities;

public sealed class AuditEntry
{
    public int Id { get; set; }

    public DateTime At { get; set; }

    public string Message { get; set; } = "";
}
