using System.Linq;
using System.Threading.Tasks;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// Which rule speaks for a site where two rules' shapes meet (docs/architecture.md, "Ownership"): every analyzer runs
/// together over the code, and each marked site must get exactly the one diagnostic named, and nothing else may be
/// reported. These are the shapes that once got no voice at all (an offload TA0001 left alone, whose wait or body
/// the other rules left to TA0001) or two.
/// </summary>
public sealed class OwnershipTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } }
        public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        """;

    [Fact]
    public Task WaitOnTaskRunOfAsyncLambda_InSynchronousMethod_IsTA0002()
        => VerifyAsync(
            """
            class C
            {
                void Save(ShopContext db) => /*TA0002*/Task.Run(async () => await db.SaveChangesAsync()).Wait();

                int Count(ShopContext db) => /*TA0002*/Task.Run(async () => await db.Orders.CountAsync()).Result;

                int CountVar(ShopContext db)
                {
                    var task = Task.Run(async () => await db.Orders.CountAsync());
                    return /*TA0002*/task.GetAwaiter().GetResult();
                }
            }
            """);

    [Fact]
    public Task BlockingCallInsideAsyncOffloadDelegate_IsTA0001()
        => VerifyAsync(
            """
            class C
            {
                async Task M(ShopContext db)
                {
                    await /*TA0001*/Task.Run(async () => { db.SaveChanges(); await Task.Yield(); });
                }

                void Sync(ShopContext db) => /*TA0001*/Task.Run(async () => { await Task.Yield(); return db.Orders.ToList(); }).Wait();
            }
            """);

    // LongRunning around plain I/O is an offload TA0001 reports (docs/rules/TA0001.md, "LongRunning"): the wait on it is
    // part of it. Around a long-lived loop TA0001 leaves it alone, and the wait is TA0002's.
    [Fact]
    public Task WaitOnLongRunningOffloadAroundIo_IsTA0001()
        => VerifyAsync(
            """
            class C
            {
                int M(ShopContext db)
                    => /*TA0001*/Task.Factory.StartNew(() => db.Orders.Count(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Result;
            }
            """);

    [Fact]
    public Task WaitOnLongRunningLoop_IsTA0002()
        => VerifyAsync(
            """
            class C
            {
                void M(ShopContext db, CancellationToken token)
                    => /*TA0002*/Task.Factory.StartNew(() => { while (!token.IsCancellationRequested) db.SaveChanges(); }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Wait();
            }
            """);

    // A synchronous Task-returning function blocks the caller before any task exists: TA0004's, not TA0003's (not async
    // code); inside an offload in such a function, TA0001's; a wait there stays TA0002's.
    [Fact]
    public Task BlockingBeforeRealTask_IsTA0004()
        => VerifyAsync(
            """
            class C
            {
                Task<int> Save(ShopContext db)
                {
                    /*TA0004*/db.Orders.First();
                    return db.SaveChangesAsync();
                }

                Task<int> Offload(ShopContext db) => /*TA0001*/Task.Run(() => db.Orders.Count());

                Task<int> Wait(ShopContext db, Task<int> pending) => Task.FromResult(/*TA0002*/pending.Result);
            }
            """);

    [Fact]
    public Task WaitInLambdaNestedInOffloadDelegate_IsTA0002()
        => VerifyAsync(
            """
            class C
            {
                Task M(Task<int> pending)
                    => Task.Run(() =>
                    {
                        Func<int> later = () => /*TA0002*/pending.Result;
                        return later;
                    });
            }
            """);

    [Fact]
    public Task WaitOnBlockingOffload_IsTA0001Only()
        => VerifyAsync(
            """
            class C
            {
                List<Order> M(ShopContext db) => /*TA0001*/Task.Run(() => db.Orders.ToList()).Result;
            }
            """);

    [Fact]
    public Task WaitOnOffloadOfOwnBlockingMethod_IsTA0002Only()
        => VerifyAsync(
            """
            class Repository
            {
                private readonly ShopContext db;
                public Repository(ShopContext db) => this.db = db;
                public List<Order> LoadAll() => db.Orders.ToList();
            }

            class C
            {
                List<Order> M(Repository repo) => /*TA0002*/Task.Run(() => repo.LoadAll()).Result;
            }
            """);

    /// <summary>Each <c>/*ID*/</c> marks where one diagnostic of that ID starts; nothing else may be reported.</summary>
    private static async Task VerifyAsync(string body)
    {
        var source = Prelude + body;
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(compilation, AnalyzerCatalog.CreateAnalyzers());

        var expected = System.Text.RegularExpressions.Regex.Matches(source, @"/\*(TA\d{4})\*/")
            .Select(m => (Id: m.Groups[1].Value, Start: m.Index + m.Length))
            .OrderBy(e => e.Start)
            .ToArray();
        var actual = diagnostics
            .Where(d => d.Id.StartsWith("TA", System.StringComparison.Ordinal) || d.Id == "AD0001")
            .Select(d => (d.Id, Start: d.Location.SourceSpan.Start))
            .OrderBy(e => e.Start)
            .ToArray();
        Assert.Equal(expected, actual);
    }
}
