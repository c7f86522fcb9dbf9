using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer,
    TrueAsync.CodeFixes.Rules.TaskRunWrapperFixer>;

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

    // TA0001 has two descriptors (the own-method one is reported at compilation end); markup takes the first.
    private static Task VerifyFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, MarkupOptions = MarkupOptions.UseFirstDescriptor };
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
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static DiagnosticResult Expected(params object[] arguments)
        => Verify.Diagnostic("TA0001").WithLocation(0).WithArguments(arguments).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private static Task VerifySilentAsync(string source)
        => new Verify.Test { TestCode = source, MarkupOptions = MarkupOptions.UseFirstDescriptor }.RunAsync();

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
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
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
}
