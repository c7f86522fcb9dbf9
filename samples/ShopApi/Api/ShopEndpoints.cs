using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ShopApi.Data;
using ShopApi.Services;

namespace ShopApi.Api;

public static class ShopEndpoints
{
    public static IEndpointRouteBuilder MapShopEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", (ShopDatabase database) => Results.Ok(new { service = "ShopApi", database = database.ProviderName }));

        app.MapGet("/products", async (ICatalogService catalog) => Results.Ok(await catalog.GetProductsAsync()));
        app.MapGet("/products/{id:int}", async (int id, ICatalogService catalog)
            => await catalog.FindProductAsync(id) is { } product ? Results.Ok(product) : Results.NotFound());
        app.MapGet("/products/stock", async (ICatalogService catalog) => Results.Ok(await catalog.GetStockSummaryAsync()));
        app.MapPost("/products/{id:int}/restock", async (int id, RestockRequest request, ICatalogService catalog)
            => await catalog.RestockAsync(id, request.Quantity) is { } product ? Results.Ok(product) : Results.NotFound());
        app.MapPut("/products/{id:int}/price", async (int id, PriceRequest request, ShopContext db) =>
        {
            var product = await db.Products.FindAsync(id);
            if (product is null)
            {
                return Results.NotFound();
            }

            product.Price = request.Price;
            // A blocking call in an async handler, although SaveChangesAsync exists.
            db.SaveChanges();
            return Results.Ok(new ProductSummary(product.Id, product.Name, product.Price, product.Stock));
        });

        app.MapGet("/customers", async (ICustomerRepository customers) => Results.Ok(await customers.GetCustomersAsync()));
        app.MapGet("/customers/by-email", async (string email, ICustomerRepository customers)
            => await customers.FindByEmailAsync(email) is { } customer ? Results.Ok(customer) : Results.NotFound());
        app.MapPost("/customers", async (NewCustomerRequest request, ICustomerRepository customers)
            => Results.Ok(new { id = await customers.CreateAsync(request.Name, request.Email) }));
        app.MapGet("/customers/{id:int}/orders", async (int id, IOrderService orders) => Results.Ok(await orders.GetOrdersOfCustomerAsync(id)));

        app.MapPost("/orders", async (PlaceOrderRequest request, IOrderService orders) =>
        {
            try
            {
                var order = await orders.PlaceOrderAsync(request);
                return Results.Created($"/orders/{order.Id}", order);
            }
            catch (OrderRejectedException rejected)
            {
                return Results.BadRequest(new { error = rejected.Message });
            }
        });
        app.MapGet("/orders/{id:int}", async (int id, IOrderService orders)
            => await orders.GetOrderAsync(id) is { } order ? Results.Ok(order) : Results.NotFound());

        app.MapGet("/reports/sales", async (ISalesReport report) => Results.Ok(await report.GetSalesByProductAsync()));

        // The load benchmark's endpoints: the same ~20 ms query, written fake async (fixed by TrueAsync) and by hand.
        app.MapGet("/probe/query", async (ILatencyProbe probe) => Results.Ok(await probe.QueryAsync()));
        app.MapGet("/probe/true-async", async (TrueAsyncLatencyProbe probe) => Results.Ok(await probe.QueryAsync()));
        return app;
    }
}

public sealed record RestockRequest(int Quantity);

public sealed record PriceRequest(decimal Price);

public sealed record NewCustomerRequest(string Name, string Email);
