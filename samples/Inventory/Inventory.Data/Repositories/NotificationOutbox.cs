using System;
using System.Data;
using System.Threading.Tasks;
using Dapper;

namespace Inventory.Data.Repositories;

/// <summary>
/// Messages for the people concerned (a borrower, the store keeper), queued in the database; a mailer outside this
/// sample sends them. Written the asynchronous way from the start.
/// </summary>
public sealed class NotificationOutbox
{
    private readonly IDbConnection _connection;

    public NotificationOutbox(IDbConnection connection) => _connection = connection;

    public async Task EnsureTableAsync()
        => await _connection.ExecuteAsync(
            "create table if not exists Notifications (Id integer primary key, Recipient text not null, Body text not null, QueuedAt text not null)");

    public async Task QueueAsync(string recipient, string body)
    {
        await EnsureTableAsync();
        await _connection.ExecuteAsync(
            "insert into Notifications (Recipient, Body, QueuedAt) values (@recipient, @body, @queuedAt)",
            new { recipient, body, queuedAt = DateTime.UtcNow });
    }

    public async Task<int> PendingCountAsync(string recipient)
    {
        await EnsureTableAsync();
        return await _connection.ExecuteScalarAsync<int>("select count(*) from Notifications where Recipient = @recipient", new { recipient });
    }
}
