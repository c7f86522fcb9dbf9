using System;
using System.Collections.Generic;
using System.Data;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace Inventory.Data.Repositories;

/// <summary>A loan as the repository reads it.</summary>
public sealed record LoanRecord(int Id, int EquipmentId, string Borrower, DateTime LoanedAt, DateTime DueAt, DateTime? ReturnedAt);

public interface ILoanRepository
{
    /// <summary>Lends one unit; 0 when none is on the shelf.</summary>
    Task<int> CheckOutAsync(int equipmentId, string borrower, DateTime loanedAt, DateTime dueAt);

    Task<bool> ReturnAsync(int loanId, DateTime returnedAt);

    Task<LoanRecord?> FindAsync(int loanId);

    IReadOnlyList<LoanRecord> GetOpenLoans();

    Task<IReadOnlyList<LoanRecord>> GetOverdueAsync(DateTime asOf);
}

/// <summary>
/// Loans with raw ADO.NET through the interfaces (<see cref="IDbConnection"/>, <see cref="IDbCommand"/>,
/// <see cref="IDataReader"/>, <see cref="IDbTransaction"/>) over the request's connection: lending changes the stock and
/// the loans in one transaction.
/// </summary>
public sealed class LoanRepository : ILoanRepository
{
    private const string SelectLoan = "select Id, EquipmentId, Borrower, LoanedAt, DueAt, ReturnedAt from Loans";

    private readonly IDbConnection _connection;
    private readonly AuditLog _audit;

    public LoanRepository(IDbConnection connection, AuditLog audit)
    {
        _connection = connection;
        _audit = audit;
    }

    public Task<int> CheckOutAsync(int equipmentId, string borrower, DateTime loanedAt, DateTime dueAt)
    {
        ConnectionGuard.EnsureOpen(_connection);
        using var transaction = _connection.BeginTransaction();
        using var take = _connection.CreateCommand();
        take.Transaction = transaction;
        take.CommandText = "update Equipment set Quantity = Quantity - 1 where Id = $id and Quantity > 0";
        take.AddParameter("$id", equipmentId);
        if (take.ExecuteNonQuery() == 0)
        {
            transaction.Rollback();
            return Task.FromResult(0);
        }

        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            insert into Loans (EquipmentId, Borrower, LoanedAt, DueAt) values ($equipment, $borrower, $loanedAt, $dueAt);
            select last_insert_rowid();
            """;
        insert.AddParameter("$equipment", equipmentId);
        insert.AddParameter("$borrower", borrower);
        insert.AddParameter("$loanedAt", loanedAt);
        insert.AddParameter("$dueAt", dueAt);
        var id = Convert.ToInt32(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        transaction.Commit();
        _audit.Write($"lent equipment {equipmentId} to {borrower}");
        return Task.FromResult(id);
    }

    public async Task<bool> ReturnAsync(int loanId, DateTime returnedAt)
    {
        var loan = await FindAsync(loanId);
        if (loan is null || loan.ReturnedAt is not null)
        {
            return false;
        }

        using var transaction = _connection.BeginTransaction();
        using var close = _connection.CreateCommand();
        close.Transaction = transaction;
        close.CommandText = "update Loans set ReturnedAt = $at where Id = $id";
        close.AddParameter("$at", returnedAt);
        close.AddParameter("$id", loanId);
        close.ExecuteNonQuery();

        using var restock = _connection.CreateCommand();
        restock.Transaction = transaction;
        restock.CommandText = "update Equipment set Quantity = Quantity + 1 where Id = $id";
        restock.AddParameter("$id", loan.EquipmentId);
        restock.ExecuteNonQuery();
        transaction.Commit();
        _audit.Write($"{loan.Borrower} returned equipment {loan.EquipmentId}");
        return true;
    }

    public Task<LoanRecord?> FindAsync(int loanId)
    {
        if (_connection.State != ConnectionState.Open)
        {
            _connection.Open();
        }

        using var command = _connection.CreateCommand();
        command.CommandText = SelectLoan + " where Id = $id";
        command.AddParameter("$id", loanId);
        using var reader = command.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadLoan(reader) : null);
    }

    public IReadOnlyList<LoanRecord> GetOpenLoans()
    {
        ConnectionGuard.EnsureOpen(_connection);
        using var command = _connection.CreateCommand();
        command.CommandText = SelectLoan + " where ReturnedAt is null order by DueAt";
        using var reader = command.ExecuteReader();
        var loans = new List<LoanRecord>();
        while (reader.Read())
        {
            loans.Add(ReadLoan(reader));
        }

        return loans;
    }

    public Task<IReadOnlyList<LoanRecord>> GetOverdueAsync(DateTime asOf)
        => Task.FromResult<IReadOnlyList<LoanRecord>>(GetOpenLoans().Where(l => l.DueAt < asOf).ToList());

    private static LoanRecord ReadLoan(IDataReader reader)
        => new(
            reader.GetInt32(0),
            reader.GetInt32(1),
            reader.GetString(2),
            reader.GetDateTime(3),
            reader.GetDateTime(4),
            reader.IsDBNull(5) ? null : reader.GetDateTime(5));
}
