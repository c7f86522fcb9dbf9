using System.Data;

namespace Inventory.Data.Repositories;

/// <summary>Helpers the ADO.NET repositories share.</summary>
public static class ConnectionGuard
{
    /// <summary>Opens the injected connection the first time a repository of the request needs it.</summary>
    public static void EnsureOpen(IDbConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            connection.Open();
        }
    }

    public static void AddParameter(this IDbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? System.DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
