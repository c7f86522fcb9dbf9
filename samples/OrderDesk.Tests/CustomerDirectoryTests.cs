using System.Linq;
using System.Threading.Tasks;
using OrderDesk.Services;
using Xunit;

namespace OrderDesk.Tests;

public sealed class CustomerDirectoryTests : SeededDatabaseTest
{
    [Fact]
    public async Task GetOrderCountsAsync_CountsOrdersPerCustomerMostFirst()
    {
        await using var db = NewContext();
        var counts = await new CustomerDirectory(db).GetOrderCountsAsync();

        Assert.Equal(
            new[] { "Ada Lovelace:3", "Alan Turing:2", "Grace Hopper:2", "Edsger Dijkstra:0" },
            counts.Select(c => $"{c.Name}:{c.OrderCount}"));
    }

    [Fact]
    public async Task FindByEmailAsync_KnownEmail_ReturnsTheCustomer()
    {
        await using var db = NewContext();
        var customer = await new CustomerDirectory(db).FindByEmailAsync("grace@example.com");

        Assert.NotNull(customer);
        Assert.Equal(2, customer.Id);
        Assert.Equal("Grace Hopper", customer.Name);
        Assert.Equal("New York", customer.City);
    }

    [Fact]
    public async Task FindByEmailAsync_UnknownEmail_ReturnsNull()
    {
        await using var db = NewContext();
        Assert.Null(await new CustomerDirectory(db).FindByEmailAsync("nobody@example.com"));
    }

    [Fact]
    public async Task DescribeCustomer_NamesKnownAndUnknownCustomers()
    {
        await using var db = NewContext();
        var directory = new CustomerDirectory(db);

        Assert.Equal("Alan Turing <alan@example.com>", directory.DescribeCustomer(3));
        Assert.Equal("customer #77 (unknown)", directory.DescribeCustomer(77));
    }
}
