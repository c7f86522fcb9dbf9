using System;
using System.Collections.Generic;
using System.Data;
using System.Globalization;

namespace Inventory.Data.Repositories;

/// <summary>
/// The audit trail, written with plain ADO.NET on the request's connection. The repositories call it after each
/// change; it has only a synchronous API.
/// </summary>
public sealed class AuditLog
{
    private readonly IDbConnection _connection;

    public AuditLog(IDbConnection connection) => _connection = connection;

    public void Write(string message)
    {
        ConnectionGuard.EnsureOpen(_connection);
        using var command = _connection.CreateCommand();
        command.CommandText = "insert into AuditEntries (At, Message) values ($at, $message)";
        command.AddParameter("$at", DateTime.UtcNow);
        command.AddParameter("$message", message);
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<string> Recent(int count)
    {
        ConnectionGuard.EnsureOpen(_connection);
        using var command = _connection.CreateCommand();
        command.CommandText = "select Message from AuditEntries order by Id desc limit $count";
        command.AddParameter("$count", count);
        var messages = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            messages.Add(reader.GetString(0));
        }

        return messages;
    }

    public int Count()
    {
        ConnectionGuard.EnsureOpen(_connection);
        using var command = _connection.CreateCommand();
        command.CommandText = "select count(*) from AuditEntries";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
