using System;

namespace Inventory.Data.Entities;

/// <summary>One unit of an equipment lent to a person until a due date.</summary>
public sealed class Loan
{
    public int Id { get; set; }

    public int EquipmentId { get; set; }

    public string Borrower { get; set; } = "";

    public DateTime LoanedAt { get; set; }

    public DateTime DueAt { get; set; }

    public DateTime? ReturnedAt { get; set; }
}
