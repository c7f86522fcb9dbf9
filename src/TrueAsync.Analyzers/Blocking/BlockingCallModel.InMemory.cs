using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// LINQ to objects over an EF query (docs/rules/TA0003.md, "LINQ to objects over a DbSet"): <c>db.Orders.Where(isOverdue).ToList()</c>
/// with a <c>Func&lt;Order, bool&gt;</c>, <c>db.Orders.AsEnumerable().Count(…)</c>, <c>db.Orders.Count(isOverdue)</c>. An
/// <c>Enumerable</c> operator on a <c>DbSet</c> turns the query into an enumeration: the operator that materialises it
/// reads every row the query selects synchronously, then the rest runs in memory. It blocks like <c>ToList()</c> on the
/// query, and the true async API exists (<c>ToListAsync</c>), but moving to it needs the filter as an expression, which
/// changes where it runs (a <c>Func</c> may call anything; an expression must translate to SQL): reported, never fixed.
/// </summary>
internal sealed partial class BlockingCallModel
{
    /// <summary>
    /// The <c>Enumerable</c> operator through which an EF query continues as LINQ to objects, when <paramref name="receiver"/>
    /// is a chain of <c>Enumerable</c> operators whose source is an EF query (<c>db.Orders.Where(func)</c>,
    /// <c>db.Orders.AsEnumerable().Where(…)</c>); null otherwise. Read from the operation tree only: a local holding such a
    /// chain is not followed.
    /// </summary>
    private string? FindInMemorySwitch(IOperation receiver, int depth)
    {
        for (var current = receiver; depth <= MaxQueryDepth; depth++)
        {
            if (StripConversions(current) is not IInvocationOperation { Arguments.Length: > 0 } invocation
                || !IsLinqToObjectsOperator(invocation.TargetMethod))
            {
                return null;
            }

            var source = StripConversions(invocation.Arguments[0].Value);
            if (IsQueryable(source.Type) && IsEfQuery(source))
            {
                return invocation.TargetMethod.Name;
            }

            current = source;
        }

        return null;
    }

    /// <summary>An operator of <c>System.Linq.Enumerable</c> (not of <c>Queryable</c>, whose operators keep the query EF's).</summary>
    private bool IsLinqToObjectsOperator(IMethodSymbol method)
        => method.IsExtensionMethod && types.LinqEnumerable is not null
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType, types.LinqEnumerable);

    private static AsyncCounterpart BuildInMemoryCounterpart(IMethodSymbol method, string inMemoryFrom)
        => new(method.Name, method.Name + "Async", "EF Core", CounterpartKind.Rename)
        {
            InMemoryFrom = inMemoryFrom,
            IsFixable = false,
        };

    /// <summary><c>foreach (var o in db.Orders.Where(isOverdue))</c>: the same shape, enumerated by a loop.</summary>
    private bool TryGetInMemoryForEach(IOperation collection, out AsyncCounterpart counterpart)
    {
        counterpart = null!;
        if (FindInMemorySwitch(collection, depth: 0) is not { } inMemoryFrom)
        {
            return false;
        }

        counterpart = new AsyncCounterpart("foreach", "AsAsyncEnumerable", "EF Core", CounterpartKind.ForEachAsAsyncEnumerable)
        {
            AsyncDisplay = "await foreach over AsAsyncEnumerable()",
            InMemoryFrom = inMemoryFrom,
            IsFixable = false,
        };
        return true;
    }
}

/// <summary>The questions <see cref="EscapedQuerySites"/> asks about a call or a sequence.</summary>
internal sealed partial class BlockingCallModel
{
    /// <summary>Whether <paramref name="method"/> executes a query only when its receiver is an EF query (<c>ToList</c>, <c>Count</c>, …).</summary>
    public bool RequiresEfQuery(IMethodSymbol method) => GetEntry(method).RequiresEfQuery;

    /// <summary>Whether <paramref name="type"/> is <c>IQueryable&lt;T&gt;</c> or implements it.</summary>
    public bool IsQueryableType(ITypeSymbol? type) => IsQueryable(type);

    /// <summary>
    /// The value under conversions and query syntax, and, for an operator of <c>Queryable</c>, <c>Enumerable</c> or EF Core
    /// (<c>Where</c>, <c>Include</c>, <c>AsEnumerable</c>) on a sequence, its source: the operation a query chain starts from.
    /// </summary>
    public IOperation SkipQueryOperators(IOperation operation)
    {
        for (var depth = 0; depth <= MaxQueryDepth; depth++)
        {
            operation = StripConversions(operation);
            if (operation is not IInvocationOperation { Arguments.Length: > 0 } invocation
                || !invocation.TargetMethod.IsExtensionMethod
                || !(IsLinqToObjectsOperator(invocation.TargetMethod)
                    || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.LinqQueryable)
                    || IsInEfNamespace(invocation.TargetMethod.ContainingType)))
            {
                return operation;
            }

            operation = invocation.Arguments[0].Value;
        }

        return operation;
    }
}
