using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Dapper;
using Inventory.Data;
using Inventory.Data.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Inventory.Web.Services;

public interface IReportService
{
    Task<InventorySummary> GetSummaryAsync();

    string ExportCsv();

    Task<IReadOnlyList<string>> RecentActivityAsync(int count);

    Task<int> PendingNotificationsAsync(string recipient);
}

/// <summary>Reports straight from the database: EF Core for the summary, Dapper for the export.</summary>
public sealed class ReportService : IReportService
{
    private readonly InventoryDbContext _db;
    private readonly IDbConnection _connection;
    private readonly IStockRepository _stock;
    private readonly AuditLog _audit;
    private readonly NotificationOutbox _outbox;

    public ReportService(InventoryDbContext db, IDbConnection connection, IStockRepository stock, AuditLog audit, NotificationOutbox outbox)
    {
        _db = db;
        _connection = connection;
        _stock = stock;
        _audit = audit;
        _outbox = outbox;
    }

    public async Task<InventorySummary> GetSummaryAsync()
    {
        var items = _db.Equipment.Count();
        var units = await _stock.TotalUnitsAsync();
        var openLoans = _db.Loans.CountAsync(l => l.ReturnedAt == null).Result;
        var byLocation = new Dictionary<string, int>();
        foreach (var row in _db.Equipment.GroupBy(e => e.Location!.Name).Select(g => new { g.Key, Units = g.Sum(e => e.Quantity) }))
        {
            byLocation[row.Key] = row.Units;
        }

        return new InventorySummary(items, units, openLoans, byLocation);
    }

    public string ExportCsv()
    {
        var rows = LoadExportRowsAsync().GetAwaiter().GetResult();
        var csv = new StringBuilder("serial,name,location,quantity\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{row.SerialNumber},{row.Name},{row.Location},{row.Quantity}\n");
        }

        return csv.ToString();
    }

    public Task<IReadOnlyList<string>> RecentActivityAsync(int count) => Task.FromResult(_audit.Recent(count));

    public Task<int> PendingNotificationsAsync(string recipient) => _outbox.PendingCountAsync(recipient);

    private async Task<List<ExportRow>> LoadExportRowsAsync()
    {
        var rows = await _connection.QueryAsync<ExportRow>(
            """
            select e.SerialNumber, e.Name, l.Name as Location, e.Quantity
            from Equipment e join Locations l on l.Id = e.LocationId
            order by e.SerialNumber
            """);
        return rows.ToList();
    }

    private sealed record ExportRow(string SerialNumber, string Name, string Location, long Quantity);
}
