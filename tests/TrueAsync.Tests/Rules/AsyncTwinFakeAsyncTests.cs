using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer,
    TrueAsync.CodeFixes.Rules.AsyncTwinFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// The async-twin action on TA0004: a fake async method over an own blocking method without a twin (the twin is written
/// and the method made async over it), and <c>XAsync =&gt; Task.FromResult(X())</c> (its body becomes <c>X</c>'s, made async).
/// </summary>
public sealed class AsyncTwinFakeAsyncTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        """;

    private const string Model = """

        public sealed class User { public int Id { get; set; } public string Name { get; set; } = ""; }
        public sealed class AppDb : DbContext
        {
            public DbSet<User> Users => Set<User>();
        }
        """;

    private static string Code(string body) => Usings + body + Model;

    // The own-method diagnostics are reported at compilation end (non-local), and share their ID with the rule's first
    // descriptor: the expected diagnostics are listed, and the testing library is told to hand them to the fixer.
    private static Task VerifyAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource, MarkupOptions = MarkupOptions.UseFirstDescriptor };
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static DiagnosticResult NoAsyncVersion(int location, string function, string callee, string chain)
        => Verify.Diagnostic("TA0004").WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments(function, callee, chain, "'" + callee + "' has no async version to await yet");

    private static DiagnosticResult OverOwnTwin(int location, string function, string callee, string chain)
        => Verify.Diagnostic("TA0004").WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments(function, callee, chain, "implement it with the true async API instead of calling '" + callee + "'");

    // ---------------------------------------------------------------- own method without an async twin

    [Fact]
    public async Task FromResultOverOwnMethod_CreatesTheTwinAndMakesTheMethodAsync()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();
                }

                public sealed class Service
                {
                    private readonly Repo _repo = new();

                    public Task<int> TotalAsync(CancellationToken ct) => Task.FromResult({|#0:_repo.LoadAll()|}.Count);
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public async Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Users.ToListAsync(cancellationToken);
                }

                public sealed class Service
                {
                    private readonly Repo _repo = new();

                    public async Task<int> TotalAsync(CancellationToken ct) => (await _repo.LoadAllAsync(ct)).Count;
                }
                """),
            NoAsyncVersion(0, "'TotalAsync'", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)"));
    }

    // The function is rewritten as the rule's own fix rewrites it: its other blocking calls are awaited too, and its returns
    // hand back the values.
    [Fact]
    public async Task BlockBodyWithAnotherBlockingCall_RewritesTheWholeFunctionOnce()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public IReadOnlyList<User> Open()
                    {
                        var users = _db.Users.Where(u => u.Id > 0).ToList();
                        return users;
                    }

                    public Task<IReadOnlyList<User>> OverdueAsync(int minId)
                    {
                        if (minId < 0)
                        {
                            return Task.FromResult<IReadOnlyList<User>>(Array.Empty<User>());
                        }

                        _db.SaveChanges();
                        return Task.FromResult<IReadOnlyList<User>>({|#0:Open()|}.Where(u => u.Id >= minId).ToList());
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public IReadOnlyList<User> Open()
                    {
                        var users = _db.Users.Where(u => u.Id > 0).ToList();
                        return users;
                    }

                    public async Task<IReadOnlyList<User>> OpenAsync(CancellationToken cancellationToken = default)
                    {
                        var users = await _db.Users.Where(u => u.Id > 0).ToListAsync(cancellationToken);
                        return users;
                    }

                    public async Task<IReadOnlyList<User>> OverdueAsync(int minId)
                    {
                        if (minId < 0)
                        {
                            return Array.Empty<User>();
                        }

                        await _db.SaveChangesAsync();
                        return (await OpenAsync()).Where(u => u.Id >= minId).ToList();
                    }
                }
                """),
            Verify.Diagnostic("TA0004").WithSpan(24, 9, 24, 26).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("'OverdueAsync'", "SaveChanges", "EF Core", "make it async and await 'SaveChangesAsync' instead"),
            NoAsyncVersion(0, "'OverdueAsync'", "Open", "'Open' blocks on 'ToList' (EF Core)"));
    }

    // A lambda that hands back a finished task: made async like a method, with the twin passed the token in scope.
    [Fact]
    public async Task LambdaOverOwnMethod_CreatesTheTwinAndMakesTheLambdaAsync()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public Func<CancellationToken, Task<int>> Counter() => ct => Task.FromResult({|#0:LoadAll()|}.Count);
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public async Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Users.ToListAsync(cancellationToken);

                    public Func<CancellationToken, Task<int>> Counter() => async ct => (await LoadAllAsync(ct)).Count;
                }
                """),
            NoAsyncVersion(0, "This lambda", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)"));
    }

    [Fact]
    public async Task AwaitOfFromResultOverOwnMethod_AwaitsTheTwin()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public async Task<int> CountAsync() => (await Task.FromResult({|#0:LoadAll()|})).Count;
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public async Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Users.ToListAsync(cancellationToken);

                    public async Task<int> CountAsync() => (await LoadAllAsync()).Count;
                }
                """),
            NoAsyncVersion(0, "'await Task.FromResult(…)'", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)"));
    }

    // A ref parameter: the function cannot become async, so no twin is written for it either.
    [Fact]
    public async Task FunctionThatCannotBecomeAsync_NoAction()
    {
        var source = Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public List<User> LoadAll() => _db.Users.ToList();

                public Task<int> CountAsync(ref int calls)
                {
                    calls++;
                    return Task.FromResult({|#0:LoadAll()|}.Count);
                }
            }
            """);
        await VerifyAsync(source, source, NoAsyncVersion(0, "'CountAsync'", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)"));
    }

    // ---------------------------------------------------------------- XAsync over its own sync twin

    [Fact]
    public async Task AsyncOverOwnSyncTwin_GetsTheTwinsBodyAndForwardsItsToken()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                    public Task<List<User>> NamedAsync(string name, CancellationToken ct) => Task.FromResult({|#0:Named(name)|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                    public async Task<List<User>> NamedAsync(string name, CancellationToken ct) => await _db.Users.Where(u => u.Name == name).ToListAsync(ct);
                }
                """),
            OverOwnTwin(0, "'NamedAsync'", "Named", "'Named' blocks on 'ToList' (EF Core)"));
    }

    // The LoanService shape of samples/Inventory: Find -> Label -> ILookup.Get, whose async version GetAsync exists on the
    // interface. Label gets a twin (awaiting GetAsync, not a second GetAsync), and FindAsync gets Find's body over it.
    // Internal types: the chain goes through the interface to its only implementation (a public interface of a library
    // may have implementations elsewhere, docs/rules/TA0003.md "Behind an interface").
    [Fact]
    public async Task AsyncOverOwnSyncTwin_ChainThroughAnInterfaceWithAnAsyncMember_UsesTheExistingMember()
    {
        const string lookup = """
            internal interface ILookup
            {
                Task<string?> GetAsync(int id);

                string? Get(int id);
            }

            internal sealed class Lookup : ILookup
            {
                private readonly AppDb _db = new();

                public Task<string?> GetAsync(int id) => _db.Users.Where(u => u.Id == id).Select(u => (string?)u.Name).FirstOrDefaultAsync();

                public string? Get(int id) => _db.Users.Where(u => u.Id == id).Select(u => (string?)u.Name).FirstOrDefault();
            }

            """;
        await VerifyAsync(
            Code(lookup + """
                internal sealed class Service
                {
                    private readonly ILookup _lookup;

                    public Service(ILookup lookup) => _lookup = lookup;

                    public Task<string> FindAsync(int id) => Task.FromResult({|#0:Find(id)|});

                    private string Find(int id)
                    {
                        var label = Label(id);
                        return label + "!";
                    }

                    private string Label(int id) => _lookup.Get(id) ?? "?";
                }
                """),
            Code(lookup + """
                internal sealed class Service
                {
                    private readonly ILookup _lookup;

                    public Service(ILookup lookup) => _lookup = lookup;

                    public async Task<string> FindAsync(int id)
                    {
                        var label = await LabelAsync(id);
                        return label + "!";
                    }

                    private string Find(int id)
                    {
                        var label = Label(id);
                        return label + "!";
                    }

                    private string Label(int id) => _lookup.Get(id) ?? "?";

                    private async Task<string> LabelAsync(int id) => await _lookup.GetAsync(id) ?? "?";
                }
                """),
            OverOwnTwin(0, "'FindAsync'", "Find", "'Find' -> 'Label' -> 'ILookup.Get' -> 'Lookup.Get' blocks on 'FirstOrDefault' (EF Core)"));
    }

    [Fact]
    public async Task AsyncOverOwnSyncTwin_VoidMethod_BecomesAsyncTask()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public void Save(User user)
                    {
                        _db.Users.Add(user);
                        _db.SaveChanges();
                    }

                    public Task SaveAsync(User user)
                    {
                        {|#0:Save(user)|};
                        return Task.CompletedTask;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public void Save(User user)
                    {
                        _db.Users.Add(user);
                        _db.SaveChanges();
                    }

                    public async Task SaveAsync(User user)
                    {
                        _db.Users.Add(user);
                        await _db.SaveChangesAsync();
                    }
                }
                """),
            OverOwnTwin(0, "'SaveAsync'", "Save", "'Save' blocks on 'SaveChanges' (EF Core)"));
    }

    // TA0001's form of the same: XAsync hands X to a thread-pool thread. The wrapper goes, and X's body is awaited in place.
    [Theory]
    [InlineData("public Task<List<User>> NamedAsync(string name, CancellationToken ct) => {|#0:Task.Run|}(() => Named(name), ct);")]
    [InlineData("public async Task<List<User>> NamedAsync(string name, CancellationToken ct) => await {|#0:Task.Run|}(() => Named(name), ct);")]
    public async Task TaskRunOverOwnSyncTwin_GetsTheTwinsBody(string asyncTwin)
    {
        var test = new TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer, TrueAsync.CodeFixes.Rules.AsyncTwinFixer>.Test
        {
            TestCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                    ASYNC_TWIN
                }
                """).Replace("ASYNC_TWIN", asyncTwin),
            FixedCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                    public async Task<List<User>> NamedAsync(string name, CancellationToken ct) => await _db.Users.Where(u => u.Name == name).ToListAsync(ct);
                }
                """),
        };
        test.ExpectedDiagnostics.Add(new DiagnosticResult(TrueAsync.Analyzers.Rules.TaskRunWrapperAnalyzer.OwnMethodRule).WithLocation(0).WithArguments(
            "Task.Run", "a blocking call: 'Named' blocks on 'ToList' (EF Core)", "'Named' has no async counterpart to await").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }

    // An argument that is not XAsync's own parameter passed through: X's body would mean something else in XAsync.
    [Fact]
    public async Task AsyncOverOwnSyncTwin_TransformedArgument_NoAction()
    {
        var source = Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                public Task<List<User>> NamedAsync(string name) => Task.FromResult({|#0:Named(name.Trim())|});
            }
            """);
        await VerifyAsync(source, source, OverOwnTwin(0, "'NamedAsync'", "Named", "'Named' blocks on 'ToList' (EF Core)"));
    }

    // XAsync takes a parameter X does not: what it is for is unknown.
    [Fact]
    public async Task AsyncOverOwnSyncTwin_DifferentParameterList_NoAction()
    {
        var source = Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                public Task<List<User>> NamedAsync(string name, int limit) => Task.FromResult({|#0:Named(name)|});
            }
            """);
        await VerifyAsync(source, source, OverOwnTwin(0, "'NamedAsync'", "Named", "'Named' blocks on 'ToList' (EF Core)"));
    }

    // The parameter is passed under another name: X's body names it differently.
    [Fact]
    public async Task AsyncOverOwnSyncTwin_RenamedParameter_NoAction()
    {
        var source = Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                public Task<List<User>> NamedAsync(string userName) => Task.FromResult({|#0:Named(userName)|});
            }
            """);
        await VerifyAsync(source, source, OverOwnTwin(0, "'NamedAsync'", "Named", "'Named' blocks on 'ToList' (EF Core)"));
    }

    // XAsync does more than hand back X's result: replacing its body would drop that.
    [Fact]
    public async Task AsyncOverOwnSyncTwin_MoreInTheBody_NoAction()
    {
        var source = Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public int Calls { get; private set; }

                public List<User> Named(string name) => _db.Users.Where(u => u.Name == name).ToList();

                public Task<List<User>> NamedAsync(string name)
                {
                    Calls++;
                    return Task.FromResult({|#0:Named(name)|});
                }
            }
            """);
        await VerifyAsync(source, source, OverOwnTwin(0, "'NamedAsync'", "Named", "'Named' blocks on 'ToList' (EF Core)"));
    }

    // A decorator: XAsync calls X of another object, which has no XAsync. That X gets its twin, and XAsync awaits it.
    [Fact]
    public async Task DecoratorOverAnotherObjectsMethod_TwinOnTheInnerObject()
    {
        await VerifyAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public int Count() => _db.Users.Count();
                }

                public sealed class CountingRepo
                {
                    private readonly Repo _inner = new();

                    public int Calls { get; private set; }

                    public Task<int> CountAsync()
                    {
                        Calls++;
                        return Task.FromResult({|#0:_inner.Count()|});
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public int Count() => _db.Users.Count();

                    public async Task<int> CountAsync(CancellationToken cancellationToken = default) => await _db.Users.CountAsync(cancellationToken);
                }

                public sealed class CountingRepo
                {
                    private readonly Repo _inner = new();

                    public int Calls { get; private set; }

                    public async Task<int> CountAsync()
                    {
                        Calls++;
                        return await _inner.CountAsync();
                    }
                }
                """),
            OverOwnTwin(0, "'CountAsync'", "Count", "'Count' blocks on 'Count' (EF Core)"));
    }

    // Label's twin would be LabelAsync, which is taken by a member of another signature: nothing in Find's body could be
    // awaited, so the action is not offered (the light bulb looks into Find's body, one level).
    [Fact]
    public async Task AsyncOverOwnSyncTwin_CalleeTwinNameTakenByAnotherMember_NoAction()
    {
        var source = Code("""
            public sealed class Service
            {
                private readonly AppDb _db = new();

                public Task<string> FindAsync(int id) => Task.FromResult({|#0:Find(id)|});

                private string Find(int id) => Label(id) + "!";

                private string Label(int id) => _db.Users.First(u => u.Id == id).Name;

                private Task<string> LabelAsync(string prefix) => Task.FromResult(prefix);
            }
            """);
        await VerifyAsync(source, source, OverOwnTwin(0, "'FindAsync'", "Find", "'Find' -> 'Label' blocks on 'First' (EF Core)"));
    }

    // ---------------------------------------------------------------- Fix All in the solution

    [Fact]
    public async Task TwoProjects_FixAllInSolution_FixesBothShapes()
    {
        const string secondBefore = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            namespace Second;

            public sealed class Item { public int Id { get; set; } }
            public sealed class ItemDb : DbContext
            {
                public DbSet<Item> Items => Set<Item>();
            }

            internal sealed class ItemRepository
            {
                private readonly ItemDb _db = new();

                public List<Item> All() => _db.Items.ToList();

                public Task<List<Item>> AllAsync() => Task.FromResult({|#1:All()|});
            }
            """;
        const string secondAfter = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            namespace Second;

            public sealed class Item { public int Id { get; set; } }
            public sealed class ItemDb : DbContext
            {
                public DbSet<Item> Items => Set<Item>();
            }

            internal sealed class ItemRepository
            {
                private readonly ItemDb _db = new();

                public List<Item> All() => _db.Items.ToList();

                public async Task<List<Item>> AllAsync() => await _db.Items.ToListAsync();
            }
            """;
        var test = new Verify.Test
        {
            TestCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public Task<int> TotalAsync() => Task.FromResult({|#0:LoadAll()|}.Count);
                }
                """),
            FixedCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();

                    public async Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => await _db.Users.ToListAsync(cancellationToken);

                    public async Task<int> TotalAsync() => (await LoadAllAsync()).Count;
                }
                """),
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
        };
        test.TestState.AdditionalProjects["Second"].Sources.Add(secondBefore);
        test.FixedState.AdditionalProjects["Second"].Sources.Add(secondAfter);
        test.ExpectedDiagnostics.Add(NoAsyncVersion(0, "'TotalAsync'", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)"));
        test.ExpectedDiagnostics.Add(OverOwnTwin(1, "'AllAsync'", "All", "'All' blocks on 'ToList' (EF Core)"));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }
}
