using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;
using VerifyBlockingCall = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;

namespace TrueAsync.Tests.Rules;

public sealed class TaskRunWrapperTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public bool Open { get; set; } }
        public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        """;

    private static Task VerifyFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    // Reported and offered no fix: the code stays as it is when fixes are applied.
    private static Task VerifyNoFixAsync(string source, params DiagnosticResult[] expected) => VerifyFixAsync(source, source, expected);

    // Own methods without an async twin are decided at compilation end. Such a diagnostic is non-local, which the
    // testing library refuses to hand to a fixer unless told; TA0001 offers no fix for it, and this checks that
    // applying fixes changes nothing.
    private static Task VerifyCompilationEndAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = source,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Expected(params object[] arguments)
        => Verify.Diagnostic("TA0001").WithLocation(0).WithArguments(arguments).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static Task VerifySilentAsync(string source)
        => new Verify.Test { TestCode = source }.RunAsync();

    [Fact]
    public async Task AwaitTaskRunAroundToList_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<List<Order>> M(ShopContext db)
                {
                    var orders = await [|Task.Run|](() => db.Orders.Where(o => o.Open).ToList());
                    return orders;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<List<Order>> M(ShopContext db)
                {
                    var orders = await db.Orders.Where(o => o.Open).ToListAsync();
                    return orders;
                }
            }
            """);
    }

    [Fact]
    public async Task AwaitTaskRunAroundDapperQueryFirstOrDefault_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<Order?> M(IDbConnection connection, int id)
                {
                    var row = await [|Task.Run|](() => connection.QueryFirstOrDefault<Order>("select * from orders where id = @id", new { id }));
                    return row;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<Order?> M(IDbConnection connection, int id)
                {
                    var row = await connection.QueryFirstOrDefaultAsync<Order>("select * from orders where id = @id", new { id });
                    return row;
                }
            }
            """);
    }

    [Fact]
    public async Task WhileAwaitTaskRunAroundRead_ReportsAndForwardsToken()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(DbDataReader reader, CancellationToken ct)
                {
                    var n = 0;
                    while (await [|Task.Run|](() => reader.Read()))
                    {
                        n++;
                    }

                    return n;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(DbDataReader reader, CancellationToken ct)
                {
                    var n = 0;
                    while (await reader.ReadAsync(ct))
                    {
                        n++;
                    }

                    return n;
                }
            }
            """);
    }

    [Fact]
    public async Task TokenPassedToTaskRun_MovesToCounterpart()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<long> M(DbCommand cmd, CancellationToken ct)
                {
                    return (long)(await [|Task.Run|](() => cmd.ExecuteScalar(), ct))!;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<long> M(DbCommand cmd, CancellationToken ct)
                {
                    return (long)(await cmd.ExecuteScalarAsync(ct))!;
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnedTaskRunWithSameTaskType_ReturnsCounterpartDirectly()
    {
        await VerifyFixAsync(
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public Task<List<Order>> AllAsync() => [|Task.Run|](() => _db.Orders.ToList());
            }
            """,
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public Task<List<Order>> AllAsync() => _db.Orders.ToListAsync();
            }
            """);
    }

    [Fact]
    public async Task ReturnedTaskRunAroundFind_ValueTaskDiffers_MakesMethodAsync()
    {
        await VerifyFixAsync(
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public Task<Order?> FindAsync(int id)
                {
                    return [|Task.Run|](() => _db.Orders.Find(id));
                }
            }
            """,
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public async Task<Order?> FindAsync(int id)
                {
                    return await _db.Orders.FindAsync(id);
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnedTaskRunAroundDapperQueryToList_MakesMethodAsync()
    {
        await VerifyFixAsync(
            Prelude + """
            class Repository
            {
                public Task<List<Order>> OpenAsync(IDbConnection connection) => [|Task.Run|](() => connection.Query<Order>("select * from orders").ToList());
            }
            """,
            Prelude + """
            class Repository
            {
                public async Task<List<Order>> OpenAsync(IDbConnection connection) => (await connection.QueryAsync<Order>("select * from orders")).ToList();
            }
            """);
    }

    [Fact]
    public async Task ReturnedTaskRunAroundDapperQuery_SameType_ReturnsDirectly()
    {
        await VerifyFixAsync(
            Prelude + """
            class Repository
            {
                public Task<IEnumerable<Order>> OpenAsync(IDbConnection connection) => [|Task.Run|](() => connection.Query<Order>("select * from orders"));
            }
            """,
            Prelude + """
            class Repository
            {
                public Task<IEnumerable<Order>> OpenAsync(IDbConnection connection) => connection.QueryAsync<Order>("select * from orders");
            }
            """);
    }

    [Fact]
    public async Task ReturnedSaveChanges_TaskOfIntToTask_ReturnsDirectly()
    {
        await VerifyFixAsync(
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public Task SaveAsync(CancellationToken cancellationToken) => [|Task.Run|](() => _db.SaveChanges(), cancellationToken);
            }
            """,
            Prelude + """
            class Repository
            {
                private readonly ShopContext _db = new();

                public Task SaveAsync(CancellationToken cancellationToken) => _db.SaveChangesAsync(cancellationToken);
            }
            """);
    }

    [Fact]
    public async Task TokenInScope_IsForwarded()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db, CancellationToken cancellationToken)
                {
                    await [|Task.Run|](() => db.SaveChanges());
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db, CancellationToken cancellationToken)
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
            """);
    }

    [Fact]
    public async Task BlockLambdaAsStatement_InlinesStatements()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db, Order order)
                {
                    await [|Task.Run|](() =>
                    {
                        db.Orders.Add(order);
                        db.SaveChanges();
                    });
                    Console.WriteLine("saved");
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db, Order order)
                {
                    db.Orders.Add(order);
                    await db.SaveChangesAsync();
                    Console.WriteLine("saved");
                }
            }
            """);
    }

    [Fact]
    public async Task BlockLambdaInLocalInitializer_InlinesAndKeepsFinalReturnAsValue()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var count = await [|Task.Run|](() =>
                    {
                        var open = db.Orders.Where(o => o.Open).ToList();
                        return open.Count;
                    });
                    return count;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var open = await db.Orders.Where(o => o.Open).ToListAsync();
                    var count = open.Count;
                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task BlockLambdaWhoseLocalClashes_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var count = await [|Task.Run|](() =>
                    {
                        var open = db.Orders.Where(o => o.Open).ToList();
                        return open.Count;
                    });
                    var open = count > 0;
                    return open ? count : 0;
                }
            }
            """);
    }

    [Fact]
    public async Task BlockLambdaWithEarlyReturn_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db, bool all)
                {
                    var count = await [|Task.Run|](() =>
                    {
                        if (all)
                        {
                            return db.Orders.Count();
                        }

                        return db.Orders.Count(o => o.Open);
                    });
                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task TaskRunAroundAlreadyAsyncCall_ReportsAndAwaitsDirectly()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db)
                {
                    await [|Task.Run|](() => db.SaveChangesAsync());
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db)
                {
                    await db.SaveChangesAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task TaskRunAroundSyncOverAsync_ReportsAndAwaitsTheTask()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<Order?> M(ShopContext db, int id)
                {
                    var order = await [|Task.Run|](() => db.Orders.FindAsync(id).Result);
                    return order;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<Order?> M(ShopContext db, int id)
                {
                    var order = await db.Orders.FindAsync(id);
                    return order;
                }
            }
            """);
    }

    [Fact]
    public async Task StoredTask_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var pending = [|Task.Run|](() => db.Orders.ToList());
                    Console.WriteLine("started");
                    return (await pending).Count;
                }
            }
            """);
    }

    [Fact]
    public async Task TaskReturningLambdaAroundBlockingCall_ReportsWithoutFix()
    {
        // Task.Run unwraps the Task.FromResult; inlining would leave a Task<int> where an int stood.
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                Task<int> M(ShopContext db) => [|Task.Run|](() => Task.FromResult(db.Orders.Count()));
            }
            """);
    }

    [Fact]
    public async Task ResultOnTaskRun_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                List<Order> M(ShopContext db) => [|Task.Run|](() => db.Orders.ToList()).Result;
            }
            """);
    }

    [Fact]
    public async Task TaskFactoryStartNew_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await [|Task.Factory.StartNew|](() => db.SaveChanges());
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await db.SaveChangesAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task ConfigureAwaitOnWrapper_IsKept()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var orders = await [|Task.Run|](() => db.Orders.ToList()).ConfigureAwait(false);
                    return orders.Count;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var orders = await db.Orders.ToListAsync().ConfigureAwait(false);
                    return orders.Count;
                }
            }
            """);
    }

    [Fact]
    public async Task ThreadSleepInTaskRun_BecomesTaskDelay()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M()
                {
                    await [|Task.Run|](() => Thread.Sleep(250));
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M()
                {
                    await Task.Delay(250);
                }
            }
            """);
    }

    // ---------------------------------------------------------------- silent

    [Fact]
    public async Task CpuBoundWork_DoesNotReport()
    {
        await VerifySilentAsync(
            "using System.Security.Cryptography;\n" + Prelude + """
            class C
            {
                async Task<byte[]> Hash(byte[] data) => await Task.Run(() => SHA256.HashData(data));

                async Task<double> Sum(double[] values)
                {
                    return await Task.Run(() =>
                    {
                        var total = 0d;
                        Parallel.For(0, values.Length, i => { });
                        foreach (var v in values)
                        {
                            total += Math.Sqrt(v);
                        }

                        return total;
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task InMemoryLinq_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                async Task<List<Order>> M(List<Order> orders)
                    => await Task.Run(() => orders.Where(o => o.Open).ToList());

                async Task<int> N(List<Order> orders)
                    => await Task.Run(() => orders.AsQueryable().Count());
            }
            """);
    }

    [Fact]
    public async Task CallWithoutAsyncCounterpart_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            public interface IPrinter { void Print(string text); }

            class C
            {
                async Task M(IPrinter printer) => await Task.Run(() => printer.Print("hello"));
            }
            """);
    }

    [Fact]
    public async Task AsyncLambdaLeavingTheSynchronizationContext_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db) => await Task.Run(async () => await db.SaveChangesAsync());
            }
            """);
    }

    // LongRunning gives the delegate a dedicated thread: fake async when that thread only waits on a file or a
    // database (docs/rules/TA0001.md, "LongRunning"); the wrapper is removed as for Task.Run.
    [Fact]
    public async Task LongRunningAroundIo_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await {|#0:Task.Factory.StartNew|}(() => db.Orders.Count(), TaskCreationOptions.LongRunning);
                }

                async Task<string> Read(string path)
                    => await {|#1:Task.Factory.StartNew|}(() => System.IO.File.ReadAllText(path), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await db.Orders.CountAsync();
                }

                async Task<string> Read(string path)
                    => await System.IO.File.ReadAllTextAsync(path, CancellationToken.None);
            }
            """,
            Expected("Task.Factory.StartNew", "the blocking call 'Count' (EF Core)", "await 'CountAsync' instead"),
            Verify.Diagnostic("TA0001").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("Task.Factory.StartNew", "the blocking call 'ReadAllText' (System.IO)", "await 'ReadAllTextAsync' instead"));
    }

    // A loop marks a long-lived worker (or CPU-bound iteration), what LongRunning is for; waits alone are TA0002's.
    [Fact]
    public async Task LongRunningLoopOrWaitOnly_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                Task Consume(ShopContext db, CancellationToken token) => Task.Factory.StartNew(() =>
                {
                    while (!token.IsCancellationRequested)
                    {
                        db.SaveChanges();
                    }
                }, TaskCreationOptions.LongRunning);

                Task Import(ShopContext db, string[] paths) => Task.Factory.StartNew(() =>
                {
                    foreach (var path in paths)
                    {
                        System.IO.File.ReadAllText(path);
                    }
                }, TaskCreationOptions.LongRunning);

                Task Crunch(int[] data) => Task.Factory.StartNew(() => Array.Sort(data), TaskCreationOptions.LongRunning);
            }
            """);
    }

    [Fact]
    public async Task LongRunningTask_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                Task M(DbDataReader reader) => Task.Factory.StartNew(() =>
                {
                    while (reader.Read())
                    {
                    }
                }, TaskCreationOptions.LongRunning);
            }
            """);
    }

    [Fact]
    public async Task OwnAsyncMethodInTaskRun_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                async Task ProcessAsync(int item) => await Task.Delay(item);

                Task M(int[] items) => Task.WhenAll(items.Select(i => Task.Run(() => ProcessAsync(i))));
            }
            """);
    }

    [Fact]
    public async Task BlockingCallInNestedLambdaNotRunByTheDelegate_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + """
            class C
            {
                Task<Func<int>> M(ShopContext db) => Task.Run(() => new Func<int>(() => db.SaveChanges()));
            }
            """);
    }

    [Theory]
    [InlineData("TA0003.excluded_methods = M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges")]
    [InlineData("TA0001.excluded_methods = M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges")]
    [InlineData("trueasync.excluded_methods = T:Microsoft.EntityFrameworkCore.DbContext")]
    public async Task ExcludedByConfiguration_DoesNotReport(string option)
    {
        var test = new Verify.Test
        {
            TestCode = Prelude + """
                class C
                {
                    async Task M(ShopContext db) => await Task.Run(() => db.SaveChanges());
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + option + "\n"));
        await test.RunAsync();
    }

    // ---------------------------------------------------------------- the project's own methods

    private const string Repository = """
        public sealed class OrderRepository
        {
            private readonly ShopContext _db = new();

            public List<Order> LoadAll() => _db.Orders.ToList();

            public int CountOpen() => LoadAll().Count(o => o.Open);

            public int Cached() => 42;
        }

        """;

    [Fact]
    public async Task OwnMethodThatBlocks_ReportsTheChainWithoutFix()
    {
        await VerifyCompilationEndAsync(
            Prelude + Repository + """
            class C
            {
                async Task<List<Order>> M(OrderRepository repo) => await {|#0:Task.Run|}(() => repo.LoadAll());
            }
            """,
            Expected(
                "Task.Run",
                "a blocking call: 'LoadAll' blocks on 'ToList' (EF Core)",
                "'LoadAll' has no async counterpart to await"));
    }

    [Fact]
    public async Task OwnMethodBlockingAtDepthTwo_NamesTheWholeChain()
    {
        await VerifyCompilationEndAsync(
            Prelude + Repository + """
            class C
            {
                Task<int> M(OrderRepository repo) => {|#0:Task.Run|}(() => repo.CountOpen());
            }
            """,
            Expected(
                "Task.Run",
                "a blocking call: 'CountOpen' -> 'LoadAll' blocks on 'ToList' (EF Core)",
                "'CountOpen' has no async counterpart to await"));
    }

    [Fact]
    public async Task OwnMethodThatDoesNotBlock_DoesNotReport()
    {
        await VerifySilentAsync(
            Prelude + Repository + """
            class C
            {
                Task<int> M(OrderRepository repo) => Task.Run(() => repo.Cached());
            }
            """);
    }

    [Fact]
    public async Task OwnMethodsCallingEachOtherInACycle_ReportThroughTheCycle()
    {
        await VerifyCompilationEndAsync(
            Prelude + """
            public sealed class Walker
            {
                private readonly ShopContext _db = new();

                public int Even(int n) => n == 0 ? _db.Orders.Count() : Odd(n - 1);

                public int Odd(int n) => n == 0 ? 0 : Even(n - 1);

                public int Spin(int n) => n == 0 ? 0 : Spun(n - 1);

                public int Spun(int n) => Spin(n);
            }

            class C
            {
                Task<int> M(Walker w) => {|#0:Task.Run|}(() => w.Odd(3));

                Task<int> N(Walker w) => Task.Run(() => w.Spin(3));
            }
            """,
            Expected(
                "Task.Run",
                "a blocking call: 'Odd' -> 'Even' blocks on 'Count' (EF Core)",
                "'Odd' has no async counterpart to await"));
    }

    [Fact]
    public async Task OwnMethodWithAsyncTwin_ReportsAtOnceAndAwaitsTheTwin()
    {
        await VerifyFixAsync(
            Prelude + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();

                public Task<List<Order>> LoadAllAsync(CancellationToken cancellationToken = default) => _db.Orders.ToListAsync(cancellationToken);
            }

            class C
            {
                async Task<int> M(OrderRepository repo, CancellationToken ct)
                {
                    var all = await {|#0:Task.Run|}(() => repo.LoadAll());
                    return all.Count;
                }
            }
            """,
            Prelude + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();

                public Task<List<Order>> LoadAllAsync(CancellationToken cancellationToken = default) => _db.Orders.ToListAsync(cancellationToken);
            }

            class C
            {
                async Task<int> M(OrderRepository repo, CancellationToken ct)
                {
                    var all = await repo.LoadAllAsync(ct);
                    return all.Count;
                }
            }
            """,
            Expected("Task.Run", "the blocking call 'LoadAll' (OrderRepository)", "await 'LoadAllAsync' instead"));
    }

    [Fact]
    public async Task OwnMethodGroup_ReportsWithoutFix()
    {
        await VerifyCompilationEndAsync(
            Prelude + Repository + """
            class C
            {
                Task<List<Order>> M(OrderRepository repo) => {|#0:Task.Run|}(repo.LoadAll);
            }
            """,
            Expected(
                "Task.Run",
                "a blocking call: 'LoadAll' blocks on 'ToList' (EF Core)",
                "'LoadAll' has no async counterpart to await"));
    }

    [Fact]
    public async Task FakeAsyncRepositoryMethod_ReportsLibraryCallEvenUnderAnAsyncName()
    {
        await VerifyFixAsync(
            Prelude + """
            public sealed class Store
            {
                private readonly ShopContext _db = new();

                public Task<int> SaveChangesAsync() => [|Task.Run|](() => _db.SaveChanges());
            }
            """,
            Prelude + """
            public sealed class Store
            {
                private readonly ShopContext _db = new();

                public Task<int> SaveChangesAsync() => _db.SaveChangesAsync();
            }
            """);
    }

    [Fact]
    public async Task TwinThatIsTheEnclosingMethod_ReportsWithoutFix()
    {
        await VerifyCompilationEndAsync(
            Prelude + """
            public sealed class Store
            {
                private readonly ShopContext _db = new();

                public int Save() => _db.SaveChanges();

                public Task<int> SaveAsync() => [|Task.Run|](() => Save());
            }
            """);
    }

    // ---------------------------------------------------------------- more shapes

    [Fact]
    public async Task AnonymousMethod_InlinesStatements()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db)
                {
                    await [|Task.Run|](delegate
                    {
                        db.SaveChanges();
                    });
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db)
                {
                    await db.SaveChangesAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task BlockLambdaAsEmbeddedStatement_BecomesABlock()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db, bool save)
                {
                    if (save)
                        await [|Task.Run|](() => { db.SaveChanges(); Console.WriteLine("saved"); });
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db, bool save)
                {
                    if (save)
                    {
                        await db.SaveChangesAsync();
                        Console.WriteLine("saved");
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnAwaitOfBlockLambda_InlinesBeforeTheReturn()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await [|Task.Run|](() =>
                    {
                        var orders = db.Orders.ToList();
                        return orders.Count(o => o.Open);
                    });
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var orders = await db.Orders.ToListAsync();
                    return orders.Count(o => o.Open);
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnedBlockLambdaInNonAsyncMethod_MakesMethodAsyncAndInlines()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                Task<int> CountOpenAsync(ShopContext db)
                {
                    return [|Task.Run|](() =>
                    {
                        var open = db.Orders.Where(o => o.Open).ToList();
                        return open.Count;
                    });
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> CountOpenAsync(ShopContext db)
                {
                    var open = await db.Orders.Where(o => o.Open).ToListAsync();
                    return open.Count;
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnedInsideUsing_IsAwaitedNotReturnedDirectly()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                Task<List<Order>> LoadAsync()
                {
                    using (var db = new ShopContext())
                    {
                        return [|Task.Run|](() => db.Orders.ToList());
                    }
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<List<Order>> LoadAsync()
                {
                    using (var db = new ShopContext())
                    {
                        return await db.Orders.ToListAsync();
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task ReturnedFromLambda_LambdaBecomesAsync()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                Func<Task<Order?>> M(ShopContext db, int id) => () => [|Task.Run|](() => db.Orders.Find(id));
            }
            """,
            Prelude + """
            class C
            {
                Func<Task<Order?>> M(ShopContext db, int id) => async () => await db.Orders.FindAsync(id);
            }
            """);
    }

    [Fact]
    public async Task MethodWithTwoReturns_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                Task<Order?> M(ShopContext db, int id)
                {
                    if (id < 0)
                    {
                        return Task.FromResult<Order?>(null);
                    }

                    return [|Task.Run|](() => db.Orders.Find(id));
                }
            }
            """);
    }

    [Fact]
    public async Task TwoWrappersInOneMethod_FixAllAddsOneUsing()
    {
        await VerifyFixAsync(
            """
            using System.Linq;
            using System.Threading.Tasks;

            public sealed class Order { public int Id { get; set; } }
            public sealed class ShopContext : Microsoft.EntityFrameworkCore.DbContext
            {
                public Microsoft.EntityFrameworkCore.DbSet<Order> Orders => Set<Order>();
            }

            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var first = await [|Task.Run|](() => db.Orders.First());
                    var count = await [|Task.Run|](() => db.Orders.Count());
                    return first.Id + count;
                }
            }
            """,
            """
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            public sealed class Order { public int Id { get; set; } }
            public sealed class ShopContext : Microsoft.EntityFrameworkCore.DbContext
            {
                public Microsoft.EntityFrameworkCore.DbSet<Order> Orders => Set<Order>();
            }

            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var first = await db.Orders.FirstAsync();
                    var count = await db.Orders.CountAsync();
                    return first.Id + count;
                }
            }
            """);
    }

    [Fact]
    public async Task StartNewWithStateObject_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db)
                {
                    await [|Task.Factory.StartNew|](state => ((ShopContext)state!).SaveChanges(), db);
                }
            }
            """);
    }

    [Fact]
    public async Task StartNewOnCustomScheduler_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db, TaskScheduler scheduler)
                {
                    await [|Task.Factory.StartNew|](() => db.SaveChanges(), CancellationToken.None, TaskCreationOptions.None, scheduler);
                }
            }
            """);
    }

    [Fact]
    public async Task TaskFactoryInstance_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                private readonly TaskFactory factory = new TaskFactory();

                async Task M(ShopContext db)
                {
                    await [|factory.StartNew|](() => db.SaveChanges());
                }
            }
            """,
            Prelude + """
            class C
            {
                private readonly TaskFactory factory = new TaskFactory();

                async Task M(ShopContext db)
                {
                    await db.SaveChangesAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task WaitAndGetResultInsideTaskRun_AreAwaited()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task M(ShopContext db, Task pending)
                {
                    await [|Task.Run|](() =>
                    {
                        pending.Wait();
                        var n = db.SaveChangesAsync().GetAwaiter().GetResult();
                        Console.WriteLine(n);
                    });
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task M(ShopContext db, Task pending)
                {
                    await pending;
                    var n = await db.SaveChangesAsync();
                    Console.WriteLine(n);
                }
            }
            """);
    }

    [Fact]
    public async Task IDbCommandKnownToBeDbCommand_IsCast()
    {
        await VerifyFixAsync(
            "using Microsoft.Data.Sqlite;\n" + Prelude + """
            class C
            {
                async Task<int> M(SqliteConnection connection)
                {
                    IDbCommand cmd = connection.CreateCommand();
                    return await [|Task.Run|](() => cmd.ExecuteNonQuery());
                }
            }
            """,
            "using Microsoft.Data.Sqlite;\n" + Prelude + """
            class C
            {
                async Task<int> M(SqliteConnection connection)
                {
                    IDbCommand cmd = connection.CreateCommand();
                    return await ((DbCommand)cmd).ExecuteNonQueryAsync();
                }
            }
            """);
    }

    [Fact]
    public async Task ForEachOverEfQueryInBlockLambda_BecomesAwaitForEach()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var total = await [|Task.Run|](() =>
                    {
                        var sum = 0;
                        foreach (var order in db.Orders.Where(o => o.Open))
                        {
                            sum += order.Id;
                        }

                        return sum;
                    });
                    return total;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    var sum = 0;
                    await foreach (var order in db.Orders.Where(o => o.Open).AsAsyncEnumerable())
                    {
                        sum += order.Id;
                    }

                    var total = sum;
                    return total;
                }
            }
            """);
    }

    [Fact]
    public async Task BlockingCallInsideLockInTheDelegate_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                private readonly object gate = new();

                async Task M(ShopContext db)
                {
                    await [|Task.Run|](() =>
                    {
                        lock (gate)
                        {
                            db.SaveChanges();
                        }
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task SpanInTheDelegate_ReportsWithoutFix()
    {
        await VerifyNoFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(DbCommand cmd, string text)
                {
                    return await [|Task.Run|](() =>
                    {
                        ReadOnlySpan<char> span = text.AsSpan();
                        return cmd.ExecuteNonQuery() + span.Length;
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task TopLevelStatements_ExpressionLambdaIsFixed()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Linq;
                using System.Threading.Tasks;
                using Microsoft.EntityFrameworkCore;

                var db = new ShopContext();
                var count = await [|Task.Run|](() => db.Orders.Count());
                System.Console.WriteLine(count);

                public sealed class Order { public int Id { get; set; } }
                public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }
                """,
            FixedCode = """
                using System.Linq;
                using System.Threading.Tasks;
                using Microsoft.EntityFrameworkCore;

                var db = new ShopContext();
                var count = await db.Orders.CountAsync();
                System.Console.WriteLine(count);

                public sealed class Order { public int Id { get; set; } }
                public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }
                """,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public async Task DapperQueryWithToListInAwait_ParenthesizesTheAwait()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(IDbConnection connection)
                {
                    var open = await [|Task.Run|](() => connection.Query<Order>("select * from orders").ToList());
                    return open.Count;
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(IDbConnection connection)
                {
                    var open = (await connection.QueryAsync<Order>("select * from orders")).ToList();
                    return open.Count;
                }
            }
            """);
    }

    [Fact]
    public async Task ExpressionWithLowerPrecedence_IsParenthesized()
    {
        await VerifyFixAsync(
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return 2 * await [|Task.Run|](() => db.Orders.Count() + 1);
                }
            }
            """,
            Prelude + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return 2 * (await db.Orders.CountAsync() + 1);
                }
            }
            """);
    }

    [Fact]
    public async Task CSharp73_AwaitForEachUnavailable_ReportsWithoutFix()
    {
        var source = Prelude.Replace("= Set<Order>();", "=> Set<Order>();", System.StringComparison.Ordinal) + """
            class C
            {
                async Task<int> M(ShopContext db)
                {
                    return await [|Task.Run|](() =>
                    {
                        var sum = 0;
                        foreach (var order in db.Orders)
                        {
                            sum += order.Id;
                        }

                        return sum;
                    });
                }
            }
            """;
        await new Verify.Test
        {
            TestCode = source,
            FixedCode = source,
            LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        }.RunAsync();
    }

    // ---------------------------------------------------------------- own methods through TA0003

    [Fact]
    public async Task OwnBlockingMethodInAsyncCode_TA0003ReportsTheChain()
    {
        var source = Prelude + Repository + """
            class C
            {
                async Task<int> M(OrderRepository repo)
                {
                    await Task.Yield();
                    var all = repo.{|#0:LoadAll()|}.Count;
                    return all + repo.{|#1:CountOpen()|} + repo.Cached();
                }
            }
            """;
        var test = new VerifyBlockingCall.Test
        {
            TestCode = source,
            FixedCode = source,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(0)
            .WithArguments("'LoadAll' blocks on 'ToList' (EF Core)", "LoadAll"));
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(1)
            .WithArguments("'CountOpen' -> 'LoadAll' blocks on 'ToList' (EF Core)", "CountOpen"));
        await test.RunAsync();
    }

    [Fact]
    public async Task OwnBlockingMethodInSyncCode_TA0003StaysSilent()
    {
        await VerifyBlockingCall.VerifyAnalyzerAsync(Prelude + Repository + """
            class C
            {
                int M(OrderRepository repo) => repo.CountOpen();
            }
            """);
    }
}
