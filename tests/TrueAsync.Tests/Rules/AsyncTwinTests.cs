using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.AsyncTwinFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>The async-twin action on TA0003 calls to own methods that block and have no async counterpart.</summary>
public sealed class AsyncTwinTests
{
    // The own-method diagnostic is reported at compilation end (non-local): dotnet format and Fix All fix it; the testing
    // library refuses fixes for non-local diagnostics unless told.
    private static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        return test.RunAsync(CancellationToken.None);
    }

    // Reported and no twin action: the code stays as it is.
    private static Task VerifyNotOfferedAsync(string source) => VerifyAsync(source, source);

    private const string Dapper = """
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using System.Threading.Tasks;
        using Dapper;

        public sealed class Equipment
        {
            public int Id { get; set; }
        }

        """;

    [Fact]
    public async Task DapperRepositoryMethod_GetsTwinAndTheCallAwaitsIt()
    {
        await VerifyAsync(
            Dapper + """
            public sealed class EquipmentRepository
            {
                private readonly IDbConnection _conn;

                public EquipmentRepository(IDbConnection conn) => _conn = conn;

                public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");
            }

            public sealed class EquipmentService
            {
                private readonly EquipmentRepository _repo;

                public EquipmentService(EquipmentRepository repo) => _repo = repo;

                public async Task<int> CountAsync()
                {
                    await Task.Yield();
                    return _repo.[|GetAll()|].Count();
                }
            }
            """,
            Dapper + """
            public sealed class EquipmentRepository
            {
                private readonly IDbConnection _conn;

                public EquipmentRepository(IDbConnection conn) => _conn = conn;

                public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");

                public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync<Equipment>("select * from equipment");
            }

            public sealed class EquipmentService
            {
                private readonly EquipmentRepository _repo;

                public EquipmentService(EquipmentRepository repo) => _repo = repo;

                public async Task<int> CountAsync()
                {
                    await Task.Yield();
                    return (await _repo.GetAllAsync()).Count();
                }
            }
            """);
    }
    private const string Ef = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order
        {
            public int Id { get; set; }
            public bool Open { get; set; }
        }

        public sealed class ShopContext : DbContext
        {
            public DbSet<Order> Orders => Set<Order>();
        }

        """;

    // The chain CountOpen -> LoadAll -> ToList: both get twins, the token goes down the chain, and the caller's token is passed.
    [Fact]
    public async Task ChainOfOwnMethods_EachGetsATwinAndTheTokenFlowsDown()
    {
        await VerifyAsync(
            Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();

                public int CountOpen()
                {
                    var orders = LoadAll();
                    return orders.Count(o => o.Open);
                }
            }

            public sealed class Report
            {
                public async Task<string> RenderAsync(OrderRepository repo, CancellationToken ct)
                {
                    await Task.Yield();
                    return "open: " + repo.[|CountOpen()|];
                }
            }
            """,
            Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();

                public async Task<List<Order>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Orders.ToListAsync(cancellationToken);

                public int CountOpen()
                {
                    var orders = LoadAll();
                    return orders.Count(o => o.Open);
                }

                public async Task<int> CountOpenAsync(CancellationToken cancellationToken = default)
                {
                    var orders = await LoadAllAsync(cancellationToken);
                    return orders.Count(o => o.Open);
                }
            }

            public sealed class Report
            {
                public async Task<string> RenderAsync(OrderRepository repo, CancellationToken ct)
                {
                    await Task.Yield();
                    return "open: " + await repo.CountOpenAsync(ct);
                }
            }
            """);
    }

    // A void method becomes Task; its own token parameter is forwarded, none is added; a foreach over an EF query is awaited.
    [Fact]
    public async Task VoidMethodWithItsOwnToken_BecomesTaskAndKeepsItsSignature()
    {
        await VerifyAsync(
            Ef + """
            public sealed class Closer
            {
                private readonly ShopContext _db = new();

                public void CloseAll(CancellationToken token)
                {
                    foreach (var order in _db.Orders.Where(o => o.Open))
                    {
                        order.Open = false;
                    }

                    _db.SaveChanges();
                }

                public async Task RunAsync(CancellationToken token)
                {
                    await Task.Yield();
                    [|CloseAll(token)|];
                }
            }
            """,
            Ef + """
            public sealed class Closer
            {
                private readonly ShopContext _db = new();

                public void CloseAll(CancellationToken token)
                {
                    foreach (var order in _db.Orders.Where(o => o.Open))
                    {
                        order.Open = false;
                    }

                    _db.SaveChanges();
                }

                public async Task CloseAllAsync(CancellationToken token)
                {
                    await foreach (var order in _db.Orders.Where(o => o.Open).AsAsyncEnumerable().WithCancellation(token))
                    {
                        order.Open = false;
                    }

                    await _db.SaveChangesAsync(token);
                }

                public async Task RunAsync(CancellationToken token)
                {
                    await Task.Yield();
                    await CloseAllAsync(token);
                }
            }
            """);
    }

    // Two calls ask for the same twin: Fix All writes it once and awaits it at both. One at a time, the first fix writes
    // the twin and the second call then has a counterpart by convention, which the TA0003 counterpart fix awaits.
    [Fact]
    public async Task TwoCallsOfOneMethod_FixAllWritesTheTwinOnce()
    {
        var test = new Verify.Test
        {
            TestCode = Dapper + """
                public sealed class EquipmentRepository
                {
                    private readonly IDbConnection _conn;

                    public EquipmentRepository(IDbConnection conn) => _conn = conn;

                    public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");
                }

                public sealed class EquipmentService
                {
                    private readonly EquipmentRepository _repo;

                    public EquipmentService(EquipmentRepository repo) => _repo = repo;

                    public async Task<int> CountAsync()
                    {
                        await Task.Yield();
                        return _repo.[|GetAll()|].Count();
                    }

                    public async Task<int> MaxIdAsync()
                    {
                        await Task.Yield();
                        return _repo.[|GetAll()|].Max(e => e.Id);
                    }
                }
                """,
            FixedCode = Dapper + """
                public sealed class EquipmentRepository
                {
                    private readonly IDbConnection _conn;

                    public EquipmentRepository(IDbConnection conn) => _conn = conn;

                    public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");

                    public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync<Equipment>("select * from equipment");
                }

                public sealed class EquipmentService
                {
                    private readonly EquipmentRepository _repo;

                    public EquipmentService(EquipmentRepository repo) => _repo = repo;

                    public async Task<int> CountAsync()
                    {
                        await Task.Yield();
                        return (await _repo.GetAllAsync()).Count();
                    }

                    public async Task<int> MaxIdAsync()
                    {
                        await Task.Yield();
                        return (await _repo.GetAllAsync()).Max(e => e.Id);
                    }
                }
                """,
        };
        test.OtherCodeFixProviders.Add(new TrueAsync.CodeFixes.Rules.BlockingCallFixer());
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync(CancellationToken.None);
    }

    // Fix All in the solution reaches every project: each project's repository gets its twin.
    [Fact]
    public async Task TwoProjects_FixAllInSolutionCreatesTheTwinsOfBoth()
    {
        const string secondBefore = """
            using System.Collections.Generic;
            using System.Data;
            using System.Threading.Tasks;
            using Dapper;

            namespace Second;

            internal sealed class NameRepository
            {
                private readonly IDbConnection _conn;

                public NameRepository(IDbConnection conn) => _conn = conn;

                public List<string> Names()
                {
                    var names = new List<string>(_conn.Query<string>("select name from equipment"));
                    names.Sort();
                    return names;
                }
            }

            internal sealed class NameService
            {
                public async Task<int> CountAsync(NameRepository repo)
                {
                    await Task.Yield();
                    return repo.[|Names()|].Count;
                }
            }
            """;
        const string secondAfter = """
            using System.Collections.Generic;
            using System.Data;
            using System.Threading.Tasks;
            using Dapper;

            namespace Second;

            internal sealed class NameRepository
            {
                private readonly IDbConnection _conn;

                public NameRepository(IDbConnection conn) => _conn = conn;

                public List<string> Names()
                {
                    var names = new List<string>(_conn.Query<string>("select name from equipment"));
                    names.Sort();
                    return names;
                }

                public async Task<List<string>> NamesAsync()
                {
                    var names = new List<string>(await _conn.QueryAsync<string>("select name from equipment"));
                    names.Sort();
                    return names;
                }
            }

            internal sealed class NameService
            {
                public async Task<int> CountAsync(NameRepository repo)
                {
                    await Task.Yield();
                    return (await repo.NamesAsync()).Count;
                }
            }
            """;
        var test = new Verify.Test
        {
            TestCode = Dapper + """
                public sealed class EquipmentRepository
                {
                    private readonly IDbConnection _conn;

                    public EquipmentRepository(IDbConnection conn) => _conn = conn;

                    public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");
                }

                public sealed class EquipmentService
                {
                    public async Task<int> CountAsync(EquipmentRepository repo)
                    {
                        await Task.Yield();
                        return repo.[|GetAll()|].Count();
                    }
                }
                """,
            FixedCode = Dapper + """
                public sealed class EquipmentRepository
                {
                    private readonly IDbConnection _conn;

                    public EquipmentRepository(IDbConnection conn) => _conn = conn;

                    public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");

                    public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync<Equipment>("select * from equipment");
                }

                public sealed class EquipmentService
                {
                    public async Task<int> CountAsync(EquipmentRepository repo)
                    {
                        await Task.Yield();
                        return (await repo.GetAllAsync()).Count();
                    }
                }
                """,
        };
        test.TestState.AdditionalProjects["Second"].Sources.Add(secondBefore);
        test.FixedState.AdditionalProjects["Second"].Sources.Add(secondAfter);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1; // in the solution: both projects at once
        test.NumberOfFixAllInProjectIterations = 2;
        test.NumberOfFixAllInDocumentIterations = 2;
        await test.RunAsync(CancellationToken.None);
    }

    // TA0001 on a wrapper that blocks through an own method: the action writes the twin, whose task replaces the wrapper's.
    [Fact]
    public async Task TaskRunAroundAnOwnMethod_TwinIsWrittenForTheWrapperToAwait()
    {
        var source = Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();
            }

            public sealed class Report
            {
                public async Task<int> CountAsync(OrderRepository repo)
                {
                    var orders = await {|#0:Task.Run|}(() => repo.LoadAll());
                    return orders.Count;
                }
            }
            """;
        var withTwin = Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();

                public async Task<List<Order>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Orders.ToListAsync(cancellationToken);
            }

            """ + "\n";
        var test = new TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer, TrueAsync.CodeFixes.Rules.AsyncTwinFixer>.Test
        {
            TestCode = source,
            FixedCode = withTwin + """
                public sealed class Report
                {
                    public async Task<int> CountAsync(OrderRepository repo)
                    {
                        var orders = await repo.LoadAllAsync();
                        return orders.Count;
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer.OwnMethodRule).WithLocation(0).WithArguments(
            "Task.Run", "a blocking call: 'LoadAll' blocks on 'ToList' (EF Core)", "'LoadAll' has no async counterpart to await").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }

    // A wrapper with more than the one call in it: the twin's task cannot take its place as it is.
    [Fact]
    public async Task TaskRunWithMoreWorkAroundAnOwnMethod_NotOffered()
    {
        var source = Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll() => _db.Orders.ToList();
            }

            public sealed class Report
            {
                public async Task<int> CountAsync(OrderRepository repo)
                {
                    return await {|#0:Task.Run|}(() => repo.LoadAll().Count + 1);
                }
            }
            """;
        var test = new TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer, TrueAsync.CodeFixes.Rules.AsyncTwinFixer>.Test
        {
            TestCode = source,
            FixedCode = source,
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer.OwnMethodRule).WithLocation(0).WithArguments(
            "Task.Run", "a blocking call: 'LoadAll' blocks on 'ToList' (EF Core)", "'LoadAll' has no async counterpart to await").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }

    // ---------------------------------------------------------------- not offered

    [Fact]
    public async Task VirtualMethod_NotOffered()
    {
        // A non-virtual twin would skip the overrides.
        await VerifyNotOfferedAsync(
            Ef + """
            public class OrderRepository
            {
                private readonly ShopContext _db = new();

                public virtual List<Order> LoadAll() => _db.Orders.ToList();
            }

            public sealed class Report
            {
                public async Task<int> CountAsync(OrderRepository repo)
                {
                    await Task.Yield();
                    return repo.[|LoadAll()|].Count;
                }
            }
            """);
    }

    [Fact]
    public async Task RefParameter_NotOffered()
    {
        await VerifyNotOfferedAsync(
            Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public List<Order> LoadAll(ref int count)
                {
                    var orders = _db.Orders.ToList();
                    count = orders.Count;
                    return orders;
                }
            }

            public sealed class Report
            {
                public async Task<int> CountAsync(OrderRepository repo)
                {
                    await Task.Yield();
                    var count = 0;
                    repo.[|LoadAll(ref count)|];
                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task TwinNameTaken_NotOffered()
    {
        // 'LoadAllAsync' names something else already: a twin of that name would not compile.
        await VerifyNotOfferedAsync(
            Ef + """
            public sealed class OrderRepository
            {
                private readonly ShopContext _db = new();

                public bool LoadAllAsync { get; set; }

                public List<Order> LoadAll() => _db.Orders.ToList();
            }

            public sealed class Report
            {
                public async Task<int> CountAsync(OrderRepository repo)
                {
                    await Task.Yield();
                    return repo.[|LoadAll()|].Count;
                }
            }
            """);
    }
}
