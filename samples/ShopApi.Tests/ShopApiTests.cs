using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using ShopApi.Api;
using ShopApi.Data;
using ShopApi.Services;
using Xunit;

namespace ShopApi.Tests;

/// <summary>
/// The API as a client sees it: the real application on Kestrel (127.0.0.1, a free port), a fresh database per
/// test, HTTP requests. The same tests run on SQLite and on PostgreSQL, and must pass before and after
/// TrueAsync's fixes are applied to the sample (.ci/fix-roundtrip).
/// </summary>
public abstract class ShopApiTests : IAsyncLifetime
{
    private WebApplication? _app;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>Command-line settings that point the API at a new, empty database.</summary>
    protected abstract Task<string[]> DatabaseSettingsAsync();

    protected abstract Task DeleteDatabaseAsync();

    protected abstract string ExpectedProvider { get; }

    public async Task InitializeAsync()
    {
        var settings = await DatabaseSettingsAsync();
        _app = Program.Build(new[] { "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" }.Concat(settings).ToArray());
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await DeleteDatabaseAsync();
    }

    [Fact]
    public async Task Root_NamesTheDatabase()
    {
        var root = await Client.GetFromJsonAsync<Dictionary<string, string>>("/");
        Assert.Equal(ExpectedProvider, root!["database"]);
    }

    [Fact]
    public async Task Products_AreTheSeededOnes()
    {
        var products = (await Client.GetFromJsonAsync<List<ProductSummary>>("/products"))!;
        Assert.Equal(new[] { "Espresso beans 1 kg", "Filter paper", "Hand grinder", "Milk jug" }, products.Select(p => p.Name));
        Assert.Equal(24.90m, products[0].Price);

        var grinder = await Client.GetFromJsonAsync<ProductSummary>($"/products/{products[2].Id}");
        Assert.Equal(new ProductSummary(products[2].Id, "Hand grinder", 89.00m, 5), grinder);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/products/999")).StatusCode);

        var stock = await Client.GetFromJsonAsync<StockSummary>("/products/stock");
        Assert.Equal(new StockSummary(4, 3), stock);
    }

    [Fact]
    public async Task PriceAndRestock_AreSaved()
    {
        var jug = (await Client.GetFromJsonAsync<List<ProductSummary>>("/products"))!.Single(p => p.Name == "Milk jug");

        var priced = await Client.PutAsJsonAsync($"/products/{jug.Id}/price", new PriceRequest(17.25m));
        priced.EnsureSuccessStatusCode();
        var restocked = await Client.PostAsJsonAsync($"/products/{jug.Id}/restock", new RestockRequest(12));
        restocked.EnsureSuccessStatusCode();

        Assert.Equal(new ProductSummary(jug.Id, "Milk jug", 17.25m, 12), await Client.GetFromJsonAsync<ProductSummary>($"/products/{jug.Id}"));
        Assert.Equal(new StockSummary(4, 4), await Client.GetFromJsonAsync<StockSummary>("/products/stock"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/products/999/price", new PriceRequest(1m))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/products/999/restock", new RestockRequest(1))).StatusCode);
    }

    [Fact]
    public async Task Customers_AreCreatedOnceAndFoundByEmail()
    {
        var created = await Client.PostAsJsonAsync("/customers", new NewCustomerRequest("Edsger Dijkstra", "edsger@example.com"));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<Dictionary<string, int>>())!["id"];
        var again = await Client.PostAsJsonAsync("/customers", new NewCustomerRequest("E. W. Dijkstra", "edsger@example.com"));
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<Dictionary<string, int>>())!["id"]);

        var found = await Client.GetFromJsonAsync<Customer>("/customers/by-email?email=edsger@example.com");
        Assert.Equal((id, "Edsger Dijkstra"), (found!.Id, found.Name));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/customers/by-email?email=nobody@example.com")).StatusCode);

        var all = await Client.GetFromJsonAsync<List<Customer>>("/customers");
        Assert.Equal(new[] { "ada@example.com", "grace@example.com", "edsger@example.com" }, all!.Select(c => c.Email));
    }

    [Fact]
    public async Task PlacedOrder_TakesStock_AndShowsInOrdersAndReport()
    {
        var products = (await Client.GetFromJsonAsync<List<ProductSummary>>("/products"))!;
        var ada = (await Client.GetFromJsonAsync<Customer>("/customers/by-email?email=ada@example.com"))!;
        var beans = products.Single(p => p.Name == "Espresso beans 1 kg");
        var paper = products.Single(p => p.Name == "Filter paper");

        var response = await Client.PostAsJsonAsync("/orders", new PlaceOrderRequest(
            ada.Id,
            new List<OrderLineRequest> { new(beans.Id, 2), new(paper.Id, 3) }));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<OrderView>())!;
        Assert.Equal("Ada Lovelace", order.Customer);
        Assert.Equal(60.30m, order.Total);
        Assert.Equal(new[] { ("Espresso beans 1 kg", 2, 24.90m), ("Filter paper", 3, 3.50m) }, order.Lines.Select(l => (l.Product, l.Quantity, l.UnitPrice)));

        var read = (await Client.GetFromJsonAsync<OrderView>($"/orders/{order.Id}"))!;
        Assert.Equal((order.Id, 60.30m, 2), (read.Id, read.Total, read.Lines.Count));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/orders/999")).StatusCode);

        Assert.Equal(38, (await Client.GetFromJsonAsync<ProductSummary>($"/products/{beans.Id}"))!.Stock);
        var ofAda = (await Client.GetFromJsonAsync<List<OrderView>>($"/customers/{ada.Id}/orders"))!;
        Assert.Equal(new[] { order.Id }, ofAda.Select(o => o.Id));
        Assert.Equal(60.30m, ofAda[0].Total);

        var sales = await Client.GetFromJsonAsync<List<ProductSales>>("/reports/sales");
        Assert.Equal(new[] { new ProductSales("Espresso beans 1 kg", 2, 49.80m), new ProductSales("Filter paper", 3, 10.50m) }, sales);
    }

    [Fact]
    public async Task RejectedOrder_Returns400_AndChangesNothing()
    {
        var products = (await Client.GetFromJsonAsync<List<ProductSummary>>("/products"))!;
        var grinder = products.Single(p => p.Name == "Hand grinder");
        var ada = (await Client.GetFromJsonAsync<Customer>("/customers/by-email?email=ada@example.com"))!;

        var tooMany = await Client.PostAsJsonAsync("/orders", new PlaceOrderRequest(ada.Id, new List<OrderLineRequest> { new(grinder.Id, 6) }));
        var noCustomer = await Client.PostAsJsonAsync("/orders", new PlaceOrderRequest(999, new List<OrderLineRequest> { new(grinder.Id, 1) }));
        var noProduct = await Client.PostAsJsonAsync("/orders", new PlaceOrderRequest(ada.Id, new List<OrderLineRequest> { new(999, 1) }));
        var empty = await Client.PostAsJsonAsync("/orders", new PlaceOrderRequest(ada.Id, new List<OrderLineRequest>()));

        Assert.All(new[] { tooMany, noCustomer, noProduct, empty }, r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        Assert.Contains("only 5 of 'Hand grinder' in stock", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(5, (await Client.GetFromJsonAsync<ProductSummary>($"/products/{grinder.Id}"))!.Stock);
        Assert.Empty((await Client.GetFromJsonAsync<List<ProductSales>>("/reports/sales"))!);
    }

    [Fact]
    public async Task BenchmarkEndpoints_RunTheQuery()
    {
        // Many at once: the probes open and release pooled connections concurrently.
        var calls = Enumerable.Range(0, 20)
            .Select(i => Client.GetStringAsync(i % 2 == 0 ? "/probe/query" : "/probe/true-async"))
            .ToList();
        Assert.All(await Task.WhenAll(calls), body => Assert.Equal("1", body));
    }
}
