using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyBlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// Deferred EF queries that escape a method (docs/rules/TA0003.md, "Queries returned by own methods"): an own method
/// returns an EF query that is not run yet, and async code runs it synchronously. Known once the method's body has
/// been read: reported at compilation end, without a fix.
/// </summary>
public sealed class EscapedQueryTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public bool Open { get; set; } }
        public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        public sealed class Repository
        {
            private readonly ShopContext _db;
            private readonly List<Order> _cache = new();
            public Repository(ShopContext db) => _db = db;

            public IQueryable<Order> Query() => _db.Orders.Where(o => o.Open);
            public IEnumerable<Order> Open() { return _db.Orders.Where(o => o.Open); }
            public IQueryable<Order> All => _db.Orders;
            public IEnumerable<Order> Cached() => _cache;
            public IQueryable<Order> Mixed(bool cached) => cached ? _cache.AsQueryable() : _db.Orders;
            public IEnumerable<Order> Streamed() { foreach (var order in _cache) yield return order; }
        }

        """;

    private static VerifyBlockingCall.Test CompilationEnd(string source)
        => new() { TestCode = Prelude + source, FixedCode = Prelude + source, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };

    private static DiagnosticResult Escaped(int location, string blocking, string source, string advice)
        => VerifyBlockingCall.Diagnostic("TA0003").WithLocation(location).WithArguments(blocking, source, advice);

    [Fact]
    public async Task MaterialisedInAsyncCode_Reported()
    {
        var test = CompilationEnd("""
            public sealed class C
            {
                public async Task<int> M(Repository repo)
                {
                    await Task.Yield();
                    var list = repo.Query().{|#0:ToList()|};
                    var count = repo.Query().Where(o => o.Id > 3).{|#1:Count()|};
                    var open = repo.Open().{|#2:Count()|};
                    {|#3:foreach (var order in repo.All)|}
                    {
                        count += order.Id;
                    }

                    return list.Count + count + open;
                }
            }
            """);
        test.ExpectedDiagnostics.Add(Escaped(0, "ToList", "Query", "await 'ToListAsync' instead"));
        test.ExpectedDiagnostics.Add(Escaped(1, "Count", "Query", "await 'CountAsync' instead"));
        test.ExpectedDiagnostics.Add(Escaped(2, "Count", "Open", "return IQueryable<T> from 'Open' and await 'CountAsync'"));
        test.ExpectedDiagnostics.Add(Escaped(3, "foreach", "All", "use 'await foreach' over 'AsAsyncEnumerable()' instead"));
        await test.RunAsync();
    }

    // Sequences in memory, a method that may return either, an iterator, the query only passed on, and synchronous code.
    [Fact]
    public Task NotAnEfQueryOrNotRunHere_Silent()
        => CompilationEnd("""
            public sealed class C
            {
                public async Task<int> M(Repository repo)
                {
                    await Task.Yield();
                    var total = repo.Cached().Count() + repo.Mixed(true).Count() + repo.Streamed().Count();
                    IQueryable<Order> query = repo.Query().Where(o => o.Id > 1);
                    return total + query.Expression.GetHashCode();
                }

                public int Sync(Repository repo) => repo.Query().Count();
            }
            """).RunAsync();
}
