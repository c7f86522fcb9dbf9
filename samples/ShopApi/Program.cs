using System.Data;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ShopApi.Api;
using ShopApi.Data;
using ShopApi.Services;

namespace ShopApi;

public static class Program
{
    public static void Main(string[] args) => Build(args).Run();

    /// <summary>The application, built but not started; the integration tests start it on a port of their own.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var database = ShopDatabase.FromSettings(
            builder.Configuration.GetConnectionString("Postgres"),
            builder.Configuration["Sqlite:File"]);

        builder.Services.AddSingleton(database);
        builder.Services.AddDbContext<ShopContext>(database.Configure);
        // One connection per request for Dapper and ADO.NET, disposed with the request's scope. With Npgsql,
        // opening it takes a physical connection from Npgsql's pool (size: "Maximum Pool Size" in the connection string).
        builder.Services.AddScoped<DbConnection>(_ => database.CreateConnection());
        builder.Services.AddScoped<IDbConnection>(services => services.GetRequiredService<DbConnection>());
        builder.Services.AddScoped<ICatalogService, CatalogService>();
        builder.Services.AddScoped<IOrderService, OrderService>();
        builder.Services.AddScoped<ICustomerRepository, CustomerRepository>();
        builder.Services.AddScoped<ISalesReport, SalesReport>();
        builder.Services.AddScoped<ILatencyProbe, LatencyProbe>();
        builder.Services.AddScoped<TrueAsyncLatencyProbe>();

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            ShopDatabase.EnsureSeeded(scope.ServiceProvider.GetRequiredService<ShopContext>());
        }

        app.MapShopEndpoints();
        return app;
    }
}
