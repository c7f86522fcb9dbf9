using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyBlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;
using VerifyTaskRun = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// LINQ to objects over a DbSet (docs/rules/TA0003.md, "LINQ to objects over a DbSet"): an Enumerable operator on an EF
/// query reads every row it selects synchronously, then filters in memory. Reported in async code (TA0003) and inside
/// Task.Run (TA0001), never fixed: the filter would have to become an expression EF translates.
/// </summary>
public sealed class LinqToObjectsOverDbSetTests
{
    private const string Code = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public bool Open { get; set; } }
        public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        """;

    private static DiagnosticResult InMemory(int location, string blocking, string from, string asyncName)
        => VerifyBlockingCall.Diagnostic("TA0003").WithLocation(location).WithArguments(blocking, from, asyncName);

    [Fact]
    public async Task FuncFilterAsEnumerableAndForEach_InAsyncCode_ReportedWithoutFix()
    {
        var source = Code + """
            class C
            {
                async Task<int> M(ShopContext db, Func<Order, bool> isOverdue)
                {
                    await Task.Yield();
                    var overdue = db.Orders.Where(isOverdue).{|#0:ToList()|};
                    var open = db.Orders.AsEnumerable().{|#1:Count(o => o.Open)|};
                    var any = db.Orders.{|#2:Any(isOverdue)|};
                    var first = db.Orders.Where(o => o.Open).AsEnumerable().Select(o => o.Id).{|#3:First()|};
                    {|#4:foreach (var order in db.Orders.Where(isOverdue))|}
                    {
                        open++;
                    }

                    return overdue.Count + open + first + (any ? 1 : 0);
                }
            }
            """;
        var test = new VerifyBlockingCall.Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.Add(InMemory(0, "ToList", "Where", "ToListAsync"));
        test.ExpectedDiagnostics.Add(InMemory(1, "Count", "AsEnumerable", "CountAsync"));
        test.ExpectedDiagnostics.Add(InMemory(2, "Any", "Any", "AnyAsync"));
        test.ExpectedDiagnostics.Add(InMemory(3, "First", "AsEnumerable", "FirstAsync"));
        test.ExpectedDiagnostics.Add(InMemory(4, "foreach", "Where", "await foreach over AsAsyncEnumerable()"));
        await test.RunAsync();
    }

    // The filter is an expression already, compiled into a Func: passing the expression keeps the query EF's and the
    // meaning (the expression was written for it), so the fix does that and awaits the counterpart.
    [Fact]
    public async Task CompiledExpression_FixPassesTheExpression()
    {
        await new VerifyBlockingCall.Test
        {
            TestCode = Code + """
                class C
                {
                    async Task<int> M(ShopContext db, System.Linq.Expressions.Expression<Func<Order, bool>> isOverdue, System.Threading.CancellationToken ct)
                    {
                        var list = db.Orders.Where(isOverdue.Compile()).{|#0:ToList()|};
                        return list.Count + db.Orders.{|#1:Count(isOverdue.Compile())|};
                    }
                }
                """,
            FixedCode = Code + """
                class C
                {
                    async Task<int> M(ShopContext db, System.Linq.Expressions.Expression<Func<Order, bool>> isOverdue, System.Threading.CancellationToken ct)
                    {
                        var list = await db.Orders.Where(isOverdue).ToListAsync(cancellationToken: ct);
                        return list.Count + await db.Orders.CountAsync(isOverdue, cancellationToken: ct);
                    }
                }
                """,
            ExpectedDiagnostics =
            {
                InMemory(0, "ToList", "Where", "ToListAsync"),
                InMemory(1, "Count", "Count", "CountAsync"),
            },
        }.RunAsync();
    }

    [Fact]
    public async Task InMemoryWorkOnAMaterialisedQuery_InsideTaskRun_IsTheInnerCallsAndFixed()
    {
        // query.ToList().Select(…).ToList(): the inner ToList runs the query; the outer one copies a list in memory.
        await VerifyTaskRun.VerifyCodeFixAsync(
            Code + """
                class C
                {
                    Task<List<int>> M(ShopContext db)
                        => {|TA0001:Task.Run|}(() => db.Orders.Where(o => o.Open).ToList().Select(o => o.Id).ToList());
                }
                """,
            Code + """
                class C
                {
                    async Task<List<int>> M(ShopContext db)
                        => (await db.Orders.Where(o => o.Open).ToListAsync()).Select(o => o.Id).ToList();
                }
                """);
    }

    [Fact]
    public async Task InsideTaskRun_ReportedByTA0001WithoutFix()
    {
        var source = Code + """
            class C
            {
                async Task<List<Order>> M(ShopContext db, Func<Order, bool> isOverdue)
                    => await {|#0:Task.Run|}(() => db.Orders.Where(isOverdue).ToList());

                async Task<List<Order>> Compiled(ShopContext db, System.Linq.Expressions.Expression<Func<Order, bool>> isOverdue)
                    => await {|#1:Task.Run|}(() => db.Orders.Where(isOverdue.Compile()).ToList());
            }
            """;
        var test = new VerifyTaskRun.Test { TestCode = source, FixedCode = source };
        foreach (var location in new[] { 0, 1 })
        {
            test.ExpectedDiagnostics.Add(VerifyTaskRun.Diagnostic("TA0001").WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(
                "Task.Run",
                "the blocking call 'ToList' (EF Core) over a query turned into LINQ to objects by 'Where' (every row it selects is read, then filtered in memory)",
                "keep the query an IQueryable (an Expression<Func<…>> filter) and await 'ToListAsync' instead"));
        }

        await test.RunAsync();
    }

    // In-memory collections, a query that is only built (not enumerated here), synchronous code, and an expression
    // filter (an ordinary EF query, TA0003's usual finding with a fix) are not this shape.
    [Fact]
    public Task LookAlikes_Silent()
        => VerifyBlockingCall.VerifyAnalyzerAsync(Code + """
            class C
            {
                async Task<IEnumerable<Order>> Build(ShopContext db, Func<Order, bool> isOverdue)
                {
                    await Task.Yield();
                    return db.Orders.Where(isOverdue);
                }

                async Task<int> InMemory(List<Order> orders, Func<Order, bool> isOverdue)
                {
                    await Task.Yield();
                    return orders.Where(isOverdue).Count() + orders.AsQueryable().AsEnumerable().Count();
                }

                int Sync(ShopContext db, Func<Order, bool> isOverdue) => db.Orders.Where(isOverdue).Count();
            }
            """);
}
