using System;
using System.Collections.Generic;

namespace Inventory.Web.Services;

public sealed record EquipmentDto(int Id, string SerialNumber, string Name, string Category, int LocationId, int Quantity, bool LowStock);

public sealed record NewEquipment(string SerialNumber, string Name, string Category, int LocationId, int Quantity, int ReorderLevel);

public sealed record CheckOutRequest(int EquipmentId, string Borrower, int Days);

public sealed record LoanDto(int Id, int EquipmentId, string EquipmentName, string Borrower, DateTime DueAt, bool Returned);

public sealed record InventorySummary(int Items, int Units, int OpenLoans, IReadOnlyDictionary<string, int> UnitsByLocation);
