using System;
using System.Globalization;
using Inventory.Data.Repositories;
using Inventory.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Inventory.Web.Api;

public static class InventoryEndpoints
{
    public static void MapInventoryEndpoints(this IEndpointRouteBuilder app)
    {
        var equipment = app.MapGroup("/equipment");
        equipment.MapGet("/", async (IEquipmentService service) => Results.Ok(await service.ListAsync()));
        equipment.MapGet("/low-stock", async (IEquipmentService service) => Results.Ok(await service.LowStockAsync()));
        equipment.MapGet("/{id:int}", async (int id, IEquipmentService service)
            => await service.GetAsync(id) is { } item ? Results.Ok(item) : Results.NotFound());
        equipment.MapGet("/{id:int}/label", (int id, LabelPrinter printer)
            => printer.Print(id) is { } label ? Results.Text(label) : Results.NotFound());
        equipment.MapPost("/", async (NewEquipment request, IEquipmentService service)
            => await service.RegisterAsync(request) is { } item ? Results.Created($"/equipment/{item.Id}", item) : Results.Conflict());
        equipment.MapPut("/{id:int}/quantity/{quantity:int}", async (int id, int quantity, IEquipmentService service)
            => await service.CountAsync(id, quantity) ? Results.NoContent() : Results.NotFound());
        equipment.MapPut("/{id:int}/location/{locationId:int}", async (int id, int locationId, IStockRepository stock)
            => await stock.MoveAsync(id, locationId) ? Results.NoContent() : Results.NotFound());

        app.MapGet("/locations", (IStockRepository stock) => Results.Ok(stock.GetLocationsAsync().Result));

        var loans = app.MapGroup("/loans");
        loans.MapGet("/", (ILoanService service) => Results.Ok(service.OpenLoans()));
        loans.MapGet("/{id:int}", async (int id, ILoanService service)
            => await service.FindAsync(id) is { } loan ? Results.Ok(loan) : Results.NotFound());
        loans.MapPost("/", (CheckOutRequest request, ILoanService service, TimeProvider clock)
            => service.CheckOut(request, clock.GetUtcNow().UtcDateTime) is { } loan ? Results.Created($"/loans/{loan.Id}", loan) : Results.Conflict());
        loans.MapPost("/{id:int}/return", async (int id, ILoanService service, TimeProvider clock)
            => await service.ReturnAsync(id, clock.GetUtcNow().UtcDateTime) ? Results.NoContent() : Results.NotFound());
        loans.MapGet("/overdue", async (string asOf, ILoanService service)
            => Results.Ok(await service.OverdueAsync(DateTime.Parse(asOf, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal))));

        var reports = app.MapGroup("/reports");
        reports.MapGet("/summary", async (IReportService reports) => Results.Ok(await reports.GetSummaryAsync()));
        reports.MapGet("/export.csv", (IReportService reports) => Results.Text(reports.ExportCsv(), "text/csv"));
        reports.MapGet("/activity", async (int count, IReportService reports) => Results.Ok(await reports.RecentActivityAsync(count)));
        reports.MapGet("/notifications/{recipient}", async (string recipient, IReportService reports)
            => Results.Ok(await reports.PendingNotificationsAsync(recipient)));
    }
}
