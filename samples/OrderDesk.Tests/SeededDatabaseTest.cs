using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using OrderDesk.Data;
using Xunit;

namespace OrderDesk.Tests;

/// <summary>
/// Gives every test (xunit makes one instance per test) its own SQLite database file, seeded with the
/// demo data and deleted afterwards.
/// </summary>
public abstract class SeededDatabaseTest : IAsyncLifetime
{
    protected string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"orderdesk-test-{Guid.NewGuid():N}.db");

    /// <summary>A fresh context, so that what a test reads back comes from the file, not from a change tracker.</summary>
    protected OrderDeskContext NewContext() => OrderDeskContext.ForFile(DatabasePath);

    public async Task InitializeAsync()
    {
        await using var db = NewContext();
        await new DatabaseSeeder(db).ResetAsync();
    }

    public Task DisposeAsync()
    {
        // Pooled connections keep the file open; release them before deleting it.
        SqliteConnection.ClearAllPools();
        File.Delete(DatabasePath);
        return Task.CompletedTask;
    }
}
