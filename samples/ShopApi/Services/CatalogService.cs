using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using ShopApi.Data;

namespace ShopApi.Services;

public interface ICatalogService
{
    Task<List<ProductSummary>> GetProductsAsync();

    Task<ProductSummary?> FindProductAsync(int id);

    Task<StockSummary> GetStockSummaryAsync();

    Task<ProductSummary?> RestockAsync(int id, int quantity);
}

/// <summary>The product catalogue over EF Core, with the fake async found in real services.</summary>
public sealed class CatalogService : ICatalogService
{
    private readonly ShopContext _db;

    public CatalogService(ShopContext db) => _db = db;

    // A Task-returning signature whose body blocks on the query, then hands back a finished task.
    public Task<List<ProductSummary>> GetProductsAsync()
        => Task.FromResult(_db.Products.AsNoTracking()
            .OrderBy(p => p.Id)
            .Select(p => new ProductSummary(p.Id, p.Name, p.Price, p.Stock))
            .ToList());

    // A pool thread taken to wait on the database.
    public async Task<ProductSummary?> FindProductAsync(int id)
    {
        var product = await Task.Run(() => _db.Products.AsNoTracking().FirstOrDefault(p => p.Id == id));
        return product is null ? null : new ProductSummary(product.Id, product.Name, product.Price, product.Stock);
    }

    // Half converted: one query awaited, the next one started asynchronously and then waited for (sync over async).
    public async Task<StockSummary> GetStockSummaryAsync()
    {
        var products = await _db.Products.CountAsync();
        var inStock = _db.Products.CountAsync(p => p.Stock > 0).Result;
        return new StockSummary(products, inStock);
    }

    // Synchronous EF Core calls inside an async method.
    public async Task<ProductSummary?> RestockAsync(int id, int quantity)
    {
        var product = _db.Products.Find(id);
        if (product is null)
        {
            return null;
        }

        product.Stock += quantity;
        _db.SaveChanges();
        return await FindProductAsync(id);
    }
}
