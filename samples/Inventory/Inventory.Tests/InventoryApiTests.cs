using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Inventory.Web;
using Inventory.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Inventory.Tests;

/// <summary>
/// The API as a client sees it: the real application on Kestrel (127.0.0.1, a free port) over an SQLite file of its
/// own, created and seeded at start-up, deleted afterwards. These tests must pass the same before and after
/// TrueAsync's fixes are applied to the solution (.ci/fix-roundtrip Inventory).
/// </summary>
public sealed class InventoryApiTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"inventory-test-{Guid.NewGuid():N}.db");
    private WebApplication? _app;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _app = Program.Build(new[] { "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", $"--Database:File={_file}" });
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task Equipment_IsTheSeededStock()
    {
        var all = (await _client.GetFromJsonAsync<List<EquipmentDto>>("/equipment"))!;
        Assert.Equal(new[] { "Cordless drill", "Ladder 3 m", "Laser level", "Multimeter", "Oscilloscope" }, all.Select(e => e.Name));

        var drill = await _client.GetFromJsonAsync<EquipmentDto>("/equipment/1");
        Assert.Equal(new EquipmentDto(1, "SN-1001", "Cordless drill", "Tools", 1, 4, false), drill);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/equipment/99")).StatusCode);

        var low = (await _client.GetFromJsonAsync<List<EquipmentDto>>("/equipment/low-stock"))!;
        Assert.Equal(new[] { "SN-3001", "SN-1002" }, low.Select(e => e.SerialNumber));
    }

    [Fact]
    public async Task Label_HasNameSerialAndLocation()
    {
        Assert.Equal("Oscilloscope\nSN-2001\nElectronics / location 2", await _client.GetStringAsync("/equipment/3/label"));
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/equipment/42/label")).StatusCode);
    }

    [Fact]
    public async Task Register_AddsEquipment_AndRefusesATakenSerial()
    {
        var request = new NewEquipment("SN-4001", "Thermal camera", "Electronics", 2, 1, 1);
        var created = await _client.PostAsJsonAsync("/equipment", request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var camera = (await created.Content.ReadFromJsonAsync<EquipmentDto>())!;
        Assert.Equal(6, camera.Id);
        Assert.Equal($"/equipment/{camera.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal(camera, await _client.GetFromJsonAsync<EquipmentDto>($"/equipment/{camera.Id}"));

        var again = await _client.PostAsJsonAsync("/equipment", request with { Name = "Another camera" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(6, (await _client.GetFromJsonAsync<List<EquipmentDto>>("/equipment"))!.Count);
        Assert.Equal("registered SN-4001 (Thermal camera)", (await _client.GetFromJsonAsync<List<string>>("/reports/activity?count=1"))!.Single());
    }

    [Fact]
    public async Task StockCount_SetsTheQuantity_AndIsAudited()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsync("/equipment/2/quantity/3", null)).StatusCode);
        Assert.Equal(3, (await _client.GetFromJsonAsync<EquipmentDto>("/equipment/2"))!.Quantity);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsync("/equipment/77/quantity/3", null)).StatusCode);

        var low = (await _client.GetFromJsonAsync<List<EquipmentDto>>("/equipment/low-stock"))!;
        Assert.Equal(new[] { "SN-3001" }, low.Select(e => e.SerialNumber));
        Assert.Equal("counted SN-1002: 1 -> 3", (await _client.GetFromJsonAsync<List<string>>("/reports/activity?count=5"))!.First());
    }

    [Fact]
    public async Task Move_ChangesTheLocation()
    {
        var locations = (await _client.GetFromJsonAsync<List<LocationView>>("/locations"))!;
        Assert.Equal(new[] { "Lab", "Main store", "Van 1" }, locations.Select(l => l.Name));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PutAsync("/equipment/1/location/3", null)).StatusCode);
        Assert.Equal(3, (await _client.GetFromJsonAsync<EquipmentDto>("/equipment/1"))!.LocationId);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsync("/equipment/1/location/9", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PutAsync("/equipment/9/location/1", null)).StatusCode);
        Assert.Equal("moved SN-1001 to location 3", (await _client.GetFromJsonAsync<List<string>>("/reports/activity?count=1"))!.Single());
    }

    [Fact]
    public async Task CheckOutAndReturn_MoveOneUnit_AndQueueNotifications()
    {
        var response = await _client.PostAsJsonAsync("/loans", new CheckOutRequest(4, "Sam", 7));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var loan = (await response.Content.ReadFromJsonAsync<LoanDto>())!;
        Assert.Equal((2, 4, "Multimeter", "Sam", false), (loan.Id, loan.EquipmentId, loan.EquipmentName, loan.Borrower, loan.Returned));
        Assert.Equal(5, (await _client.GetFromJsonAsync<EquipmentDto>("/equipment/4"))!.Quantity);
        Assert.Equal(new[] { 1, 2 }, (await _client.GetFromJsonAsync<List<LoanDto>>("/loans"))!.Select(l => l.Id));
        Assert.Equal(1, await _client.GetFromJsonAsync<int>("/reports/notifications/Sam"));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.PostAsync($"/loans/{loan.Id}/return", null)).StatusCode);
        Assert.Equal(6, (await _client.GetFromJsonAsync<EquipmentDto>("/equipment/4"))!.Quantity);
        Assert.True((await _client.GetFromJsonAsync<LoanDto>($"/loans/{loan.Id}"))!.Returned);
        Assert.Equal(new[] { 1 }, (await _client.GetFromJsonAsync<List<LoanDto>>("/loans"))!.Select(l => l.Id));
        Assert.Equal(1, await _client.GetFromJsonAsync<int>("/reports/notifications/store"));

        // Returned once: a second return and an unknown loan are refused.
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync($"/loans/{loan.Id}/return", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.PostAsync("/loans/99/return", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/loans/99")).StatusCode);
        Assert.Equal(
            new[] { "Sam returned equipment 4", "lent equipment 4 to Sam" },
            await _client.GetFromJsonAsync<List<string>>("/reports/activity?count=2"));
    }

    [Fact]
    public async Task CheckOut_IsRefused_WithoutStockOrEquipment()
    {
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsJsonAsync("/loans", new CheckOutRequest(5, "Sam", 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await _client.PostAsJsonAsync("/loans", new CheckOutRequest(50, "Sam", 1))).StatusCode);
        Assert.Equal(0, (await _client.GetFromJsonAsync<EquipmentDto>("/equipment/5"))!.Quantity);
        Assert.Single((await _client.GetFromJsonAsync<List<LoanDto>>("/loans"))!);
        Assert.Equal(0, await _client.GetFromJsonAsync<int>("/reports/notifications/Sam"));
    }

    [Fact]
    public async Task Overdue_ListsTheLoansPastTheirDueDate()
    {
        var overdue = (await _client.GetFromJsonAsync<List<LoanDto>>("/loans/overdue?asOf=2026-02-01"))!;
        var dana = Assert.Single(overdue);
        Assert.Equal((1, "Oscilloscope", "Dana"), (dana.Id, dana.EquipmentName, dana.Borrower));
        Assert.Equal(new DateTime(2026, 1, 12, 17, 0, 0), dana.DueAt);
        Assert.Empty((await _client.GetFromJsonAsync<List<LoanDto>>("/loans/overdue?asOf=2026-01-10"))!);
    }

    [Fact]
    public async Task Summary_CountsItemsUnitsLoansAndLocations()
    {
        var summary = (await _client.GetFromJsonAsync<InventorySummary>("/reports/summary"))!;
        Assert.Equal((5, 13, 1), (summary.Items, summary.Units, summary.OpenLoans));
        Assert.Equal(
            new Dictionary<string, int> { ["Lab"] = 8, ["Main store"] = 5, ["Van 1"] = 0 },
            summary.UnitsByLocation.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value));
    }

    [Fact]
    public async Task Export_IsOneCsvLinePerItem()
    {
        var response = await _client.GetAsync("/reports/export.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "serial,name,location,quantity\n"
            + "SN-1001,Cordless drill,Main store,4\n"
            + "SN-1002,Laser level,Main store,1\n"
            + "SN-2001,Oscilloscope,Lab,2\n"
            + "SN-2002,Multimeter,Lab,6\n"
            + "SN-3001,Ladder 3 m,Van 1,0\n",
            await response.Content.ReadAsStringAsync());
    }

    private sealed record LocationView(int Id, string Name);
}
