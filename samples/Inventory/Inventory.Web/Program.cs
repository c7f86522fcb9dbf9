using System;
using System.Data;
using Inventory.Data;
using Inventory.Data.Repositories;
using Inventory.Web.Api;
using Inventory.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Web;

public static class Program
{
    public static void Main(string[] args) => Build(args).Run();

    /// <summary>The application, built but not started; the tests start it on a port of their own.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = builder.Configuration["Database:File"] ?? "inventory.db",
        }.ToString();

        builder.Services.AddDbContext<InventoryDbContext>(options => options.UseSqlite(connectionString));
        // One connection per request for Dapper and ADO.NET, disposed with the request's scope.
        builder.Services.AddScoped<IDbConnection>(_ => new SqliteConnection(connectionString));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DatabaseInitializer>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<NotificationOutbox>();
        builder.Services.AddScoped<IEquipmentRepository, EquipmentRepository>();
        builder.Services.AddScoped<ILoanRepository, LoanRepository>();
        builder.Services.AddScoped<IStockRepository, StockRepository>();
        builder.Services.AddScoped<IEquipmentService, EquipmentService>();
        builder.Services.AddScoped<ILoanService, LoanService>();
        builder.Services.AddScoped<IReportService, ReportService>();
        builder.Services.AddScoped<LabelPrinter>();

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().Initialize();
        }

        app.MapInventoryEndpoints();
        return app;
    }
}
