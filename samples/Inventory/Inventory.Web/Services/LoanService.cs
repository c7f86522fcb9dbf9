using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Inventory.Data.Repositories;

namespace Inventory.Web.Services;

public interface ILoanService
{
    /// <summary>The new loan, or null when the equipment does not exist or none is on the shelf.</summary>
    LoanDto? CheckOut(CheckOutRequest request, DateTime now);

    Task<bool> ReturnAsync(int loanId, DateTime now);

    Task<LoanDto?> FindAsync(int loanId);

    IReadOnlyList<LoanDto> OpenLoans();

    Task<IReadOnlyList<LoanDto>> OverdueAsync(DateTime asOf);
}

public sealed class LoanService : ILoanService
{
    private readonly ILoanRepository _loans;
    private readonly IEquipmentService _equipment;
    private readonly NotificationOutbox _outbox;

    public LoanService(ILoanRepository loans, IEquipmentService equipment, NotificationOutbox outbox)
    {
        _loans = loans;
        _equipment = equipment;
        _outbox = outbox;
    }

    public LoanDto? CheckOut(CheckOutRequest request, DateTime now)
    {
        var equipment = _equipment.GetAsync(request.EquipmentId).GetAwaiter().GetResult();
        if (equipment is null)
        {
            return null;
        }

        var id = _loans.CheckOutAsync(request.EquipmentId, request.Borrower, now, now.AddDays(request.Days)).Result;
        if (id == 0)
        {
            return null;
        }

        _outbox.QueueAsync(request.Borrower, $"Please return the {equipment.Name} by {now.AddDays(request.Days):yyyy-MM-dd}.").Wait();
        return Find(id);
    }

    public async Task<bool> ReturnAsync(int loanId, DateTime now)
    {
        var loan = await _loans.FindAsync(loanId);
        if (loan is null || !await _loans.ReturnAsync(loanId, now))
        {
            return false;
        }

        _outbox.QueueAsync("store", $"{loan.Borrower} returned equipment {loan.EquipmentId}.").Wait();
        return true;
    }

    public Task<LoanDto?> FindAsync(int loanId) => Task.FromResult(Find(loanId));

    public IReadOnlyList<LoanDto> OpenLoans() => _loans.GetOpenLoans().Select(Map).ToList();

    public async Task<IReadOnlyList<LoanDto>> OverdueAsync(DateTime asOf)
    {
        var overdue = await _loans.GetOverdueAsync(asOf);
        return overdue.Select(Map).ToList();
    }

    private LoanDto? Find(int loanId)
    {
        var loan = _loans.FindAsync(loanId).Result;
        return loan is null ? null : Map(loan);
    }

    private LoanDto Map(LoanRecord loan)
        => new(loan.Id, loan.EquipmentId, _equipment.Get(loan.EquipmentId)?.Name ?? "?", loan.Borrower, loan.DueAt, loan.ReturnedAt is not null);
}
