using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Xunit;

namespace OrderDesk.Tests;

public sealed class ProgramTests : IDisposable
{
    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"orderdesk-program-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task RunAsync_PrintsTheWholeDemoReport()
    {
        using var output = new StringWriter { NewLine = "\n" };

        var exitCode = await Program.RunAsync(_databasePath, output);

        Assert.Equal(0, exitCode);
        Assert.Equal(ExpectedReport(Path.GetFileName(_databasePath)), output.ToString());
    }

    [Fact]
    public async Task RunAsync_TwiceOnTheSameFile_PrintsTheSameReport()
    {
        using var first = new StringWriter();
        using var second = new StringWriter();

        await Program.RunAsync(_databasePath, first);
        await Program.RunAsync(_databasePath, second);

        Assert.Equal(first.ToString(), second.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_databasePath);
    }

    private static string ExpectedReport(string fileName) =>
        $"""
        Seeded 4 customers into {fileName}
        Placed order #8 for Edsger Dijkstra <edsger@example.com>: 2 line(s), total 80.00
        Shipped order #2
        Cancelled order #5
        Order #1 is no longer open and was not cancelled

        OrderDesk report as of 2024-03-15
        Customers: 4
        Orders: 8 (open 2, shipped 4, cancelled 2)

        Open orders
          #7   2024-03-13  Alan Turing      2 line(s)     30.50
          #8   2024-03-14  Edsger Dijkstra  2 line(s)     80.00

        Orders per customer
          Ada Lovelace       3
          Alan Turing        2
          Grace Hopper       2
          Edsger Dijkstra    1

        Shipped revenue per customer
          Grace Hopper        114.00
          Ada Lovelace         65.00
          Alan Turing          59.00
          Edsger Dijkstra       0.00
          Total               238.00

        Units per product (cancelled orders left out)
          Chess set          1
          Fountain pen       1
          Ink bottle         2
          Keyboard           1
          Marker             4
          Mouse              1
          Notebook           8
          Pencil            10
          Whiteboard         1

        """.ReplaceLineEndings("\n");
}
