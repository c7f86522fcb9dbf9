using System.Linq;
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
                // query.ToList().Select(ToView).ToList(): the inner ToList runs the query (a blocking call of its own,
                // reported where it is); what follows works on the list it returned, not on the query.
                return GetEntry(invocation.TargetMethod).RequiresEfQuery ? null : invocation.TargetMethod.Name;
            }

            current = source;
        }

        return null;
    }

    /// <summary>An operator of <c>System.Linq.Enumerable</c> (not of <c>Queryable</c>, whose operators keep the query EF's).</summary>
    private bool IsLinqToObjectsOperator(IMethodSymbol method)
        => method.IsExtensionMethod && Types.LinqEnumerable is not null
            && SymbolEqualityComparer.Default.Equals((method.ReducedFrom ?? method).ContainingType, Types.LinqEnumerable);

    /// <summary>
    /// Operators of <c>Enumerable</c> that <c>Queryable</c> has with an expression in place of each delegate, and that EF
    /// Core translates: with <c>e.Compile()</c> arguments they become EF's again when given <c>e</c>.
    /// </summary>
    private static readonly System.Collections.Immutable.ImmutableHashSet<string> ExpressionOperators = System.Collections.Immutable.ImmutableHashSet.Create(
        System.StringComparer.Ordinal,
        "Where", "Select", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending",
        "Count", "LongCount", "Any", "All", "First", "FirstOrDefault", "Single", "SingleOrDefault", "Last", "LastOrDefault",
        "Min", "Max", "Sum", "Average");

    private AsyncCounterpart BuildInMemoryCounterpart(IInvocationOperation invocation, IMethodSymbol method, string inMemoryFrom)
    {
        var compiled = OnlyThroughCompiledExpressions(invocation);
        return new AsyncCounterpart(method.Name, method.Name + "Async", "EF Core", CounterpartKind.Rename)
        {
            InMemoryFrom = inMemoryFrom,
            ExpressionsCompiled = compiled,
            // Only where the meaning stays: the expressions were written for the query, and no delegate of the user's
            // becomes one. EF's async operators all name their token 'cancellationToken'.
            IsFixable = compiled && IsReducedExtensionCall(invocation)
                && invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax },
            ImportNamespace = BlockingCatalog.EfNamespace,
            Token = TokenPassing.Named,
            TokenParameterName = "cancellationToken",
        };
    }

    /// <summary>
    /// Whether the call and every <c>Enumerable</c> operator between it and the EF query take delegates only as
    /// <c>expression.Compile()</c> (at least one in all), each operator one EF translates (<see cref="ExpressionOperators"/>,
    /// or a materialiser without arguments): <c>db.Orders.Where(isOverdue.Compile()).ToList()</c>.
    /// </summary>
    private bool OnlyThroughCompiledExpressions(IInvocationOperation invocation)
    {
        var compiled = 0;
        IOperation current = invocation;
        for (var depth = 0; depth <= MaxQueryDepth; depth++)
        {
            if (StripConversions(current) is not IInvocationOperation { Arguments.Length: > 0 } call || !IsLinqToObjectsOperator(call.TargetMethod))
            {
                return false;
            }

            if (call.Arguments.Length > 1 && !ExpressionOperators.Contains(call.TargetMethod.Name))
            {
                return false;
            }

            for (var i = 1; i < call.Arguments.Length; i++)
            {
                if (!IsCompiledExpression(call.Arguments[i].Value))
                {
                    return false;
                }

                compiled++;
            }

            if (call.Arguments.Length == 1 && !ReferenceEquals(call, invocation))
            {
                // AsEnumerable(), or another operator without a delegate between the query and the call: not rewritten.
                return false;
            }

            var source = StripConversions(call.Arguments[0].Value);
            if (IsQueryable(source.Type) && IsEfQuery(source))
            {
                return compiled > 0;
            }

            current = source;
        }

        return false;
    }

    private static bool IsCompiledExpression(IOperation value)
        => StripConversions(value) is IInvocationOperation { TargetMethod.Name: "Compile", Instance.Type: INamedTypeSymbol { Arity: 1, Name: "Expression" } type } compile
            && type.ContainingNamespace?.ToDisplayString() == "System.Linq.Expressions"
            && compile.Arguments.All(a => a.ArgumentKind == ArgumentKind.DefaultValue);

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
                    || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, Types.LinqQueryable)
                    || IsInEfNamespace(invocation.TargetMethod.ContainingType)))
            {
                return operation;
            }

            operation = invocation.Arguments[0].Value;
        }

        return operation;
    }
}
