using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using OrderDesk.Data;
using Xunit;

namespace OrderDesk.Tests;

public sealed class DatabaseSeederTests : SeededDatabaseTest
{
    [Fact]
    public async Task ResetAsync_CreatesTheDatabaseFileWithTheDemoData()
    {
        Assert.True(File.Exists(DatabasePath));

        await using var db = NewContext();
        Assert.Equal(4, await db.Customers.CountAsync());
        Assert.Equal(7, await db.Orders.CountAsync());
        Assert.Equal(10, await db.OrderLines.CountAsync());
        Assert.Equal(
            new[] { "Ada Lovelace", "Alan Turing", "Edsger Dijkstra", "Grace Hopper" },
            await db.Customers.OrderBy(c => c.Name).Select(c => c.Name).ToArrayAsync());
    }

    [Fact]
    public async Task ResetAsync_ReturnsTheCustomerCountAndDropsEarlierChanges()
    {
        await using (var db = NewContext())
        {
            db.Customers.Add(new Customer { Name = "Barbara Liskov", Email = "barbara@example.com", City = "Boston" });
            await db.SaveChangesAsync();
            Assert.Equal(5, await db.Customers.CountAsync());
        }

        await using (var db = NewContext())
        {
            Assert.Equal(4, await new DatabaseSeeder(db).ResetAsync());
        }

        await using (var db = NewContext())
        {
            Assert.False(await db.Customers.AnyAsync(c => c.Email == "barbara@example.com"));
            Assert.Equal(7, await db.Orders.CountAsync());
        }
    }
}
