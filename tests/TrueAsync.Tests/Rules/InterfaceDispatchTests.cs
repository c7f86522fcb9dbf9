using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
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
/// Blocking behind an interface, abstract or virtual member (docs/rules/TA0003.md, "Behind an interface"): a call through
/// dispatch blocks when every implementation in the compilation blocks, and there is at least one, and no implementation
/// may be elsewhere (a public interface or abstract member of a library). Decided at compilation end, without a fix.
/// </summary>
public sealed class InterfaceDispatchTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class Order { public int Id { get; set; } public bool Open { get; set; } }
        public sealed class ShopContext : DbContext { public DbSet<Order> Orders => Set<Order>(); }

        """;

    // The service of an ASP.NET Core app behind dependency injection, its implementation querying EF Core.
    private const string Service = """
        public interface IOrderService
        {
            bool Exists(int id);
            List<Order> All();
            int Count { get; }
        }

        public sealed class OrderService : IOrderService
        {
            private readonly ShopContext _db;
            public OrderService(ShopContext db) => _db = db;
            public bool Exists(int id) => _db.Orders.Any(o => o.Id == id);
            public List<Order> All() => Load();
            public int Count => _db.Orders.Count();
            private List<Order> Load() => _db.Orders.ToList();
        }

        """;

    private const string Controller = """
        public sealed class OrdersController
        {
            private readonly IOrderService _orders;
            public OrdersController(IOrderService orders) => _orders = orders;

            public async Task<int> Get(int id)
            {
                await Task.Yield();
                if (!_orders.{|#0:Exists(id)|})
                {
                    return 0;
                }

                return _orders.{|#1:All()|}.Count;
            }
        }

        """;

    private static VerifyBlockingCall.Test CompilationEnd(string source, OutputKind outputKind = OutputKind.ConsoleApplication)
    {
        var test = new VerifyBlockingCall.Test
        {
            TestCode = source,
            FixedCode = source,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        test.TestState.OutputKind = outputKind;
        return test;
    }

    private static string Application(string code) => Prelude + code + "\npublic static class Program { public static void Main() { } }\n";

    [Fact]
    public async Task InterfaceWhoseOnlyImplementationBlocks_InAnApplication_Reported()
    {
        var test = CompilationEnd(Application(Service + Controller));
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(0)
            .WithArguments("'IOrderService.Exists' -> 'OrderService.Exists' blocks on 'Any' (EF Core)", "Exists"));
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(1)
            .WithArguments("'IOrderService.All' -> 'OrderService.All' -> 'Load' blocks on 'ToList' (EF Core)", "All"));
        await test.RunAsync();
    }

    // An internal interface cannot be implemented elsewhere (InternalsVisibleTo aside): a library is reported too.
    [Fact]
    public async Task InternalInterfaceAndAbstractMember_InALibrary_Reported()
    {
        var test = CompilationEnd(
            Prelude + """
            internal interface IOrders { bool Exists(int id); }

            internal sealed class EfOrders : IOrders
            {
                private readonly ShopContext _db;
                public EfOrders(ShopContext db) => _db = db;
                public bool Exists(int id) => _db.Orders.Any(o => o.Id == id);
            }

            public abstract class Repository
            {
                internal abstract int Count();
            }

            public sealed class EfRepository : Repository
            {
                private readonly ShopContext _db;
                public EfRepository(ShopContext db) => _db = db;
                internal override int Count() => _db.Orders.Count();
            }

            internal sealed class C
            {
                public async Task<int> M(IOrders orders, Repository repository)
                {
                    await Task.Yield();
                    return orders.{|#0:Exists(1)|} ? repository.{|#1:Count()|} : 0;
                }
            }
            """,
            OutputKind.DynamicallyLinkedLibrary);
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(0)
            .WithArguments("'IOrders.Exists' -> 'EfOrders.Exists' blocks on 'Any' (EF Core)", "Exists"));
        test.ExpectedDiagnostics.Add(VerifyBlockingCall.Diagnostic("TA0003").WithLocation(1)
            .WithArguments("'Repository.Count' -> 'EfRepository.Count' blocks on 'Count' (EF Core)", "Count"));
        await test.RunAsync();
    }

    [Fact]
    public async Task InsideTaskRun_ReportedByTA0001()
    {
        var source = Application(Service + """
            public sealed class C
            {
                public async Task<bool> M(IOrderService orders) => await {|#0:Task.Run|}(() => orders.Exists(1));
            }
            """);
        var test = new VerifyTaskRun.Test { TestCode = source, FixedCode = source, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(VerifyTaskRun.Diagnostic("TA0001").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(
            "Task.Run",
            "a blocking call: 'IOrderService.Exists' -> 'OrderService.Exists' blocks on 'Any' (EF Core)",
            "'Exists' has no async counterpart to await"));
        await test.RunAsync();
    }

    // One implementation that does not block (a cache, a test double) is enough for silence.
    [Fact]
    public Task OneImplementationDoesNotBlock_Silent()
        => CompilationEnd(Application(Service.Replace("{|", string.Empty) + Controller.Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("|}", string.Empty) + """
            public sealed class CachedOrderService : IOrderService
            {
                private readonly HashSet<int> _ids = new();
                public bool Exists(int id) => _ids.Contains(id);
                public List<Order> All() => new();
                public int Count => _ids.Count;
            }
            """)).RunAsync();

    // A public interface of a library may be implemented by its users; a member without implementation in the
    // compilation, or whose implementation comes from another assembly, is unknown; a virtual member one override of which
    // does not block is not blocking.
    [Fact]
    public Task OpenOrUnknownImplementations_Silent()
        => CompilationEnd(
            Prelude + Service + Controller.Replace("{|#0:", string.Empty).Replace("{|#1:", string.Empty).Replace("|}", string.Empty) + """
            public interface IUnimplemented { int Load(); }

            public abstract class Base { public virtual int Load(ShopContext db) => db.Orders.Count(); }

            public sealed class Derived : Base { public override int Load(ShopContext db) => 0; }

            public interface IWriter { void Flush(); }

            public sealed class LibraryWriter : System.IO.StringWriter, IWriter { }

            internal sealed class C
            {
                public async Task<int> M(IUnimplemented unimplemented, Base loader, ShopContext db, IWriter writer)
                {
                    await Task.Yield();
                    writer.Flush();
                    return unimplemented.Load() + loader.Load(db);
                }
            }
            """,
            OutputKind.DynamicallyLinkedLibrary).RunAsync();
}
