using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Tests.Infrastructure;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer,
    TrueAsync.CodeFixes.Rules.FakeAsyncMethodFixer>;

namespace TrueAsync.Tests.Rules;

public sealed class FakeAsyncMethodTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.EntityFrameworkCore;

        """;

    private const string Model = """

        public sealed class User { public int Id { get; set; } public string Name { get; set; } = ""; public string Token { get; set; } = ""; }
        public sealed class Log { public int Id { get; set; } public int Level { get; set; } }
        public sealed class AppDb : DbContext
        {
            public DbSet<User> Users => Set<User>();
            public DbSet<Log> Logs => Set<Log>();
        }
        """;

    private static string Code(string body) => Usings + body + Model;

    // Two descriptors share the ID (the second is the compilation-end one for own methods): markup takes the first.
    private static Task VerifyFixAsync(string source, string fixedSource)
        => new Verify.Test { TestCode = source, FixedCode = fixedSource, MarkupOptions = MarkupOptions.UseFirstDescriptor }.RunAsync();

    private static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, MarkupOptions = MarkupOptions.UseFirstDescriptor };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    // Reported and offered no fix: the code stays as it is when fixes are applied.
    private static Task VerifyReportedWithoutFixAsync(string source) => VerifyFixAsync(source, source);

    // Own methods are decided at compilation end: such a diagnostic is non-local, which the testing library refuses
    // to hand to a fixer unless told; no fix is offered for it, and this checks that fixing changes nothing.
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

    // ---------------------------------------------------------------- the shapes from the issue: reported and fixed

    [Fact]
    public async Task FromResultOfToList_ExpressionBodied_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<List<User>> GetAllAsync() => Task.FromResult({|TA0004:_db.Users.ToList()|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<List<User>> GetAllAsync() => await _db.Users.ToListAsync();
                }
                """));
    }

    [Fact]
    public async Task SaveChangesThenCompletedTask_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task SaveAsync()
                    {
                        {|TA0004:_db.SaveChanges()|};
                        return Task.CompletedTask;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync()
                    {
                        await _db.SaveChangesAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task NewValueTaskOfDapperExecuteScalar_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly DbConnection _conn = null!;

                    public ValueTask<int> CountAsync(string sql) => new ValueTask<int>({|TA0004:_conn.ExecuteScalar<int>(sql)|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly DbConnection _conn = null!;

                    public async ValueTask<int> CountAsync(string sql) => await _conn.ExecuteScalarAsync<int>(sql);
                }
                """));
    }

    [Fact]
    public async Task FromResultOfFirstWithoutAsyncSuffix_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Sessions
                {
                    private readonly AppDb _db = new();

                    public Task<User> GetSession(string token) => Task.FromResult({|TA0004:_db.Users.First(s => s.Token == token)|});
                }
                """),
            Code("""
                public sealed class Sessions
                {
                    private readonly AppDb _db = new();

                    public async Task<User> GetSession(string token) => await _db.Users.FirstAsync(s => s.Token == token);
                }
                """));
    }

    [Fact]
    public async Task AwaitFromResultInAsyncMethod_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Logs
                {
                    private readonly AppDb _db = new();

                    public async Task<List<Log>> LogsAsync() => await Task.FromResult({|TA0004:_db.Logs.Where(l => l.Level > 2).ToList()|});
                }
                """),
            Code("""
                public sealed class Logs
                {
                    private readonly AppDb _db = new();

                    public async Task<List<Log>> LogsAsync() => await _db.Logs.Where(l => l.Level > 2).ToListAsync();
                }
                """));
    }

    [Fact]
    public async Task MethodNamedLikeTheCounterpart_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<int> CountAsync() => Task.FromResult({|TA0004:_db.Users.Count()|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> CountAsync() => await _db.Users.CountAsync();
                }
                """));
    }

    [Fact]
    public async Task AsyncNameOverItsOwnBlockingSyncTwin_ReportsWithoutFix()
    {
        await VerifyCompilationEndAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public int Count() => _db.Users.Count();
                    public Task<int> CountAsync() => Task.FromResult({|#0:Count()|});
                }
                """),
            Verify.Diagnostic("TA0004").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("'CountAsync'", "Count", "'Count' blocks on 'Count' (EF Core)", "implement it with the true async API instead of calling 'Count'"));
    }

    [Fact]
    public async Task OwnMethodThatBlocksThroughAChain_ReportsTheChainWithoutFix()
    {
        await VerifyCompilationEndAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();
                    public int CountNamed(string name) => LoadAll().Count(u => u.Name == name);
                    public int Cached() => 42;
                }

                public sealed class Service
                {
                    private readonly Repo _repo = new();

                    public Task<int> NamedAsync(string name) => Task.FromResult({|#0:_repo.CountNamed(name)|} + _repo.Cached());

                    public async Task<List<User>> AllAsync() => await Task.FromResult({|#1:_repo.LoadAll()|});
                }
                """),
            Verify.Diagnostic("TA0004").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("'NamedAsync'", "CountNamed", "'CountNamed' -> 'LoadAll' blocks on 'ToList' (EF Core)", "'CountNamed' has no async version to await yet"),
            Verify.Diagnostic("TA0004").WithLocation(1).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithArguments("'await Task.FromResult(…)'", "LoadAll", "'LoadAll' blocks on 'ToList' (EF Core)", "'LoadAll' has no async version to await yet"));
    }

    [Fact]
    public async Task OwnMethodWithAsyncTwin_ReportsAndAwaitsTheTwin()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();
                    public Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => _db.Users.ToListAsync(cancellationToken);
                }

                public sealed class Service
                {
                    private readonly Repo _repo = new();

                    public Task<int> TotalAsync(CancellationToken ct) => Task.FromResult({|TA0004:_repo.LoadAll()|}.Count);
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public List<User> LoadAll() => _db.Users.ToList();
                    public Task<List<User>> LoadAllAsync(CancellationToken cancellationToken = default) => _db.Users.ToListAsync(cancellationToken);
                }

                public sealed class Service
                {
                    private readonly Repo _repo = new();

                    public async Task<int> TotalAsync(CancellationToken ct) => (await _repo.LoadAllAsync(ct)).Count;
                }
                """));
    }

    [Fact]
    public async Task OwnMethodThatDoesNotBlock_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly List<User> _users = new();

                public int Count() => _users.Count;
                public int Twice() => Count() * 2;
                public Task<int> CountAsync() => Task.FromResult(Count());
                public Task<int> DoubledAsync() => Task.FromResult(Twice());
            }
            """));
    }

    [Fact]
    public async Task Message_NamesMethodCallLibraryAndCounterpart()
    {
        await VerifyAnalyzerAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<List<User>> GetAllAsync() => Task.FromResult({|#0:_db.Users.ToList()|});
                }
                """),
            Verify.Diagnostic("TA0004").WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments("'GetAllAsync'", "ToList", "EF Core", "make it async and await 'ToListAsync' instead"));
    }

    // ---------------------------------------------------------------- several calls, returns of every kind

    [Fact]
    public async Task SeveralBlockingCallsInOneMethod_OneAsyncMethod()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<int> RenameAllAsync(string name)
                    {
                        var users = {|TA0004:_db.Users.ToList()|};
                        foreach (var user in users)
                        {
                            user.Name = name;
                        }

                        {|TA0004:_db.SaveChanges()|};
                        return Task.FromResult({|TA0004:_db.Users.Count()|});
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> RenameAllAsync(string name)
                    {
                        var users = await _db.Users.ToListAsync();
                        foreach (var user in users)
                        {
                            user.Name = name;
                        }

                        await _db.SaveChangesAsync();
                        return await _db.Users.CountAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task EarlyCompletedTaskReturn_BecomesReturn()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task SaveAsync(bool dirty)
                    {
                        if (!dirty)
                        {
                            return Task.CompletedTask;
                        }

                        {|TA0004:_db.SaveChanges()|};
                        return Task.CompletedTask;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync(bool dirty)
                    {
                        if (!dirty)
                        {
                            return;
                        }

                        await _db.SaveChangesAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task ValueFromBlockingLocal_ReturnsTheValue()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<int> CountNamedAsync(string name)
                    {
                        var users = {|TA0004:_db.Users.Where(u => u.Name == name).ToList()|};
                        if (users.Count == 0)
                        {
                            return Task.FromResult(-1);
                        }

                        return Task.FromResult(users.Count);
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> CountNamedAsync(string name)
                    {
                        var users = await _db.Users.Where(u => u.Name == name).ToListAsync();
                        if (users.Count == 0)
                        {
                            return -1;
                        }

                        return users.Count;
                    }
                }
                """));
    }

    [Fact]
    public async Task NonGenericTaskFromResultOfSaveChanges_ExpressionBody_AwaitsAsStatement()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task SaveAsync() => Task.FromResult({|TA0004:_db.SaveChanges()|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync() => await _db.SaveChangesAsync();
                }
                """));
    }

    [Fact]
    public async Task NonGenericTaskFromResultInTheMiddle_BecomesStatementAndReturn()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task SaveAsync(bool now)
                    {
                        if (now)
                            return Task.FromResult({|TA0004:_db.SaveChanges()|});
                        Console.WriteLine("later");
                        return Task.CompletedTask;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync(bool now)
                    {
                        if (now)
                        {
                            await _db.SaveChangesAsync();
                            return;
                        }
                        Console.WriteLine("later");
                    }
                }
                """));
    }

    [Fact]
    public async Task FromExceptionReturn_BecomesThrow()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<User> FindAsync(int id)
                    {
                        var user = {|TA0004:_db.Users.FirstOrDefault(u => u.Id == id)|};
                        if (user is null)
                        {
                            return Task.FromException<User>(new KeyNotFoundException(id.ToString()));
                        }

                        return Task.FromResult(user);
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<User> FindAsync(int id)
                    {
                        var user = await _db.Users.FirstOrDefaultAsync(u => u.Id == id);
                        if (user is null)
                        {
                            throw new KeyNotFoundException(id.ToString());
                        }

                        return user;
                    }
                }
                """));
    }

    [Fact]
    public async Task CancellationTokenParameter_IsForwarded()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<List<User>> GetAllAsync(CancellationToken cancellationToken) => Task.FromResult({|TA0004:_db.Users.ToList()|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<List<User>> GetAllAsync(CancellationToken cancellationToken) => await _db.Users.ToListAsync(cancellationToken);
                }
                """));
    }

    [Fact]
    public async Task NestedBlockingCalls_BothAwaited()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<User?> NewestAsync() => Task.FromResult({|TA0004:_db.Users.Find({|TA0004:_db.Users.Max(u => u.Id)|})|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<User?> NewestAsync() => await _db.Users.FindAsync(await _db.Users.MaxAsync(u => u.Id));
                }
                """));
    }

    // ---------------------------------------------------------------- overrides, interfaces, ValueTask, local functions, lambdas

    [Fact]
    public async Task OverrideAndInterfaceImplementations_KeepTheirSignature()
    {
        await VerifyFixAsync(
            Code("""
                public interface IUsers { Task<int> TotalAsync(); Task<List<User>> AllAsync(); }
                public abstract class Store { public abstract Task SaveAsync(); }

                public sealed class EfStore : Store, IUsers
                {
                    private readonly AppDb _db = new();

                    public override Task SaveAsync()
                    {
                        {|TA0004:_db.SaveChanges()|};
                        return Task.CompletedTask;
                    }

                    public Task<int> TotalAsync() => Task.FromResult({|TA0004:_db.Users.Count()|});

                    Task<List<User>> IUsers.AllAsync() => Task.FromResult({|TA0004:_db.Users.ToList()|});
                }
                """),
            Code("""
                public interface IUsers { Task<int> TotalAsync(); Task<List<User>> AllAsync(); }
                public abstract class Store { public abstract Task SaveAsync(); }

                public sealed class EfStore : Store, IUsers
                {
                    private readonly AppDb _db = new();

                    public override async Task SaveAsync()
                    {
                        await _db.SaveChangesAsync();
                    }

                    public async Task<int> TotalAsync() => await _db.Users.CountAsync();

                    async Task<List<User>> IUsers.AllAsync() => await _db.Users.ToListAsync();
                }
                """));
    }

    [Fact]
    public async Task NonGenericValueTaskWithDefault_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public ValueTask SaveAsync()
                    {
                        {|TA0004:_db.SaveChanges()|};
                        return default;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async ValueTask SaveAsync()
                    {
                        await _db.SaveChangesAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task ValueTaskFromResult_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public ValueTask<bool> HasUsersAsync() => ValueTask.FromResult({|TA0004:_db.Users.Any()|});
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async ValueTask<bool> HasUsersAsync() => await _db.Users.AnyAsync();
                }
                """));
    }

    [Fact]
    public async Task LocalFunction_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Func<Task<int>> Counter()
                    {
                        return Count;

                        Task<int> Count() => Task.FromResult({|TA0004:_db.Users.Count()|});
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Func<Task<int>> Counter()
                    {
                        return Count;

                        async Task<int> Count() => await _db.Users.CountAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task Lambda_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    public void Register(AppDb db)
                    {
                        Func<Task<int>> f = () => Task.FromResult({|TA0004:db.Users.Count()|});
                        Func<string, Task> save = name =>
                        {
                            {|TA0004:db.Users.First()|}.Name = name;
                            {|TA0004:db.SaveChanges()|};
                            return Task.CompletedTask;
                        };
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    public void Register(AppDb db)
                    {
                        Func<Task<int>> f = async () => await db.Users.CountAsync();
                        Func<string, Task> save = async name =>
                        {
                            (await db.Users.FirstAsync()).Name = name;
                            await db.SaveChangesAsync();
                        };
                    }
                }
                """));
    }

    [Fact]
    public async Task AnonymousMethod_ReportsAndFixes()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    public Func<Task<int>> Counter(AppDb db) => delegate { return Task.FromResult({|TA0004:db.Users.Count()|}); };
                }
                """),
            Code("""
                public sealed class Repo
                {
                    public Func<Task<int>> Counter(AppDb db) => async delegate { return await db.Users.CountAsync(); };
                }
                """));
    }

    [Fact]
    public async Task FakeLambdaInsideFakeMethod_FixAllRewritesBoth()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<Func<Task<int>>> MakeCounterAsync()
                    {
                        {|TA0004:_db.Database.EnsureCreated()|};
                        Func<Task<int>> counter = () => Task.FromResult({|TA0004:_db.Users.Count()|});
                        return Task.FromResult(counter);
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<Func<Task<int>>> MakeCounterAsync()
                    {
                        await _db.Database.EnsureCreatedAsync();
                        Func<Task<int>> counter = async () => await _db.Users.CountAsync();
                        return counter;
                    }
                }
                """));
    }

    [Fact]
    public async Task ForEachOverEfQuery_BecomesAwaitForEach()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<int> SumAsync()
                    {
                        var sum = 0;
                        foreach (var log in {|TA0004:_db.Logs.Where(l => l.Level > 1)|})
                        {
                            sum += log.Level;
                        }

                        return Task.FromResult(sum);
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> SumAsync()
                    {
                        var sum = 0;
                        await foreach (var log in _db.Logs.Where(l => l.Level > 1).AsAsyncEnumerable())
                        {
                            sum += log.Level;
                        }

                        return sum;
                    }
                }
                """));
    }

    [Fact]
    public async Task ForEachOverFileReadLines_BecomesAwaitForEachOverReadLinesAsync()
    {
        await VerifyFixAsync(
            """
            using System.IO;
            using System.Threading.Tasks;

            public sealed class Importer
            {
                public Task<int> CountLinesAsync(string path)
                {
                    var count = 0;
                    foreach (var line in {|TA0004:File.ReadLines(path)|})
                    {
                        count += line.Length > 0 ? 1 : 0;
                    }

                    return Task.FromResult(count);
                }
            }
            """,
            """
            using System.IO;
            using System.Threading.Tasks;

            public sealed class Importer
            {
                public async Task<int> CountLinesAsync(string path)
                {
                    var count = 0;
                    await foreach (var line in File.ReadLinesAsync(path))
                    {
                        count += line.Length > 0 ? 1 : 0;
                    }

                    return count;
                }
            }
            """);
    }

    [Fact]
    public async Task UsingTransaction_BecomesAwaitUsing()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task RenameAsync(User user, string name)
                    {
                        using var transaction = {|TA0004:_db.Database.BeginTransaction()|};
                        user.Name = name;
                        {|TA0004:_db.SaveChanges()|};
                        {|TA0004:transaction.Commit()|};
                        return Task.CompletedTask;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task RenameAsync(User user, string name)
                    {
                        await using var transaction = await _db.Database.BeginTransactionAsync();
                        user.Name = name;
                        await _db.SaveChangesAsync();
                        await transaction.CommitAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task ParameterlessNewValueTask_BecomesReturnDefault()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public ValueTask<int> SaveAsync(bool dirty)
                    {
                        if (!dirty)
                        {
                            return new ValueTask<int>();
                        }

                        return new ValueTask<int>({|TA0004:_db.SaveChanges()|});
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async ValueTask<int> SaveAsync(bool dirty)
                    {
                        if (!dirty)
                        {
                            return default;
                        }

                        return await _db.SaveChangesAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task OneCallInsideLock_OtherCallsAreStillFixed()
    {
        await new Verify.Test
        {
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
            TestCode = Code("""
                public sealed class Repo
                {
                    private readonly object _gate = new();
                    private readonly AppDb _db = new();

                    public Task<int> SaveAsync()
                    {
                        var count = {|TA0004:_db.Users.Count()|};
                        lock (_gate)
                        {
                            {|TA0004:_db.SaveChanges()|};
                        }

                        return Task.FromResult(count);
                    }
                }
                """),
            FixedCode = Code("""
                public sealed class Repo
                {
                    private readonly object _gate = new();
                    private readonly AppDb _db = new();

                    public async Task<int> SaveAsync()
                    {
                        var count = await _db.Users.CountAsync();
                        lock (_gate)
                        {
                            _db.SaveChanges();
                        }

                        return count;
                    }
                }
                """),
        }.RunAsync();
    }

    [Fact]
    public async Task ExcludedMethod_IsNeitherReportedNorRewritten()
    {
        await new Verify.Test
        {
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
            TestState =
            {
                Sources =
                {
                    Code("""
                        public sealed class Repo
                        {
                            private readonly AppDb _db = new();

                            public Task<int> SaveAsync()
                            {
                                var count = {|TA0004:_db.Users.Count()|};
                                _db.SaveChanges();
                                return Task.FromResult(count);
                            }
                        }
                        """),
                },
                AnalyzerConfigFiles =
                {
                    ("/.editorconfig", "root = true\n\n[*]\nTA0004.excluded_methods = M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges\n"),
                },
            },
            FixedState =
            {
                Sources =
                {
                    Code("""
                        public sealed class Repo
                        {
                            private readonly AppDb _db = new();

                            public async Task<int> SaveAsync()
                            {
                                var count = await _db.Users.CountAsync();
                                _db.SaveChanges();
                                return count;
                            }
                        }
                        """),
                },
            },
        }.RunAsync();
    }

    [Fact]
    public async Task ConditionalAccessCall_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                public Task SaveAsync(AppDb? db)
                {
                    db?{|TA0004:.SaveChanges()|};
                    return Task.CompletedTask;
                }
            }
            """));
    }

    // ---------------------------------------------------------------- await Task.FromResult(…) in async code

    [Fact]
    public async Task AwaitFromResultInExpression_UnwrapsInPlace()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> NextIdAsync()
                    {
                        var next = await Task.FromResult({|TA0004:_db.Users.Max(u => u.Id)|}) + 1;
                        await Task.Yield();
                        return next;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> NextIdAsync()
                    {
                        var next = await _db.Users.MaxAsync(u => u.Id) + 1;
                        await Task.Yield();
                        return next;
                    }
                }
                """));
    }

    [Fact]
    public async Task AwaitFromResultWithWiderTypeArgument_KeepsTheType()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> CountAsync()
                    {
                        var users = await Task.FromResult<IEnumerable<User>>({|TA0004:_db.Users.ToList()|});
                        return users.Count();
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> CountAsync()
                    {
                        var users = (IEnumerable<User>)await _db.Users.ToListAsync();
                        return users.Count();
                    }
                }
                """));
    }

    [Fact]
    public async Task AwaitFromResultAsStatement_AwaitsTheCall()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync()
                    {
                        await Task.FromResult({|TA0004:_db.SaveChanges()|});
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task SaveAsync()
                    {
                        await _db.SaveChangesAsync();
                    }
                }
                """));
    }

    [Fact]
    public async Task AwaitNewValueTaskOfBlockingCall_UnwrapsInPlace()
    {
        await VerifyFixAsync(
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<string> FirstNameAsync()
                    {
                        var user = await new ValueTask<User>({|TA0004:_db.Users.First()|});
                        return user.Name;
                    }
                }
                """),
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<string> FirstNameAsync()
                    {
                        var user = await _db.Users.FirstAsync();
                        return user.Name;
                    }
                }
                """));
    }

    [Fact]
    public async Task AwaitFromResultWithConfigureAwait_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public async Task<int> TotalAsync() => await Task.FromResult({|TA0004:_db.Users.Count()|}).ConfigureAwait(false);
            }
            """));
    }

    // ---------------------------------------------------------------- netstandard2.0 / C# 7.3

    [Fact]
    public async Task NetStandard20CSharp73_DbCommand_ReportsAndFixes()
    {
        await new Verify.Test
        {
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
            ReferenceAssemblies = TestReferences.NetStandard20,
            LanguageVersion = LanguageVersion.CSharp7_3,
            TestCode = """
                using System.Data.Common;
                using System.Threading.Tasks;

                public sealed class Repo
                {
                    public Task<int> DeleteAsync(DbCommand command)
                    {
                        command.CommandText = "delete from users";
                        return Task.FromResult({|TA0004:command.ExecuteNonQuery()|});
                    }
                }
                """,
            FixedCode = """
                using System.Data.Common;
                using System.Threading.Tasks;

                public sealed class Repo
                {
                    public async Task<int> DeleteAsync(DbCommand command)
                    {
                        command.CommandText = "delete from users";
                        return await command.ExecuteNonQueryAsync();
                    }
                }
                """,
        }.RunAsync();
    }

    [Fact]
    public async Task NetStandard20_FileReadAllTextHasNoCounterpart_DoesNotReport()
    {
        await new Verify.Test
        {
            MarkupOptions = MarkupOptions.UseFirstDescriptor,
            ReferenceAssemblies = TestReferences.NetStandard20,
            LanguageVersion = LanguageVersion.CSharp7_3,
            TestCode = """
                using System.IO;
                using System.Threading.Tasks;

                public sealed class Config
                {
                    public Task<string> ReadAsync(string path) => Task.FromResult(File.ReadAllText(path));
                }
                """,
        }.RunAsync();
    }

    // ---------------------------------------------------------------- reported, no fix

    [Fact]
    public async Task FromCanceledReturn_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync(CancellationToken token)
                {
                    if (token.IsCancellationRequested)
                    {
                        return Task.FromCanceled<int>(token);
                    }

                    return Task.FromResult({|TA0004:_db.Users.Count()|});
                }
            }
            """));
    }

    [Fact]
    public async Task OutParameter_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync(out bool empty)
                {
                    var count = {|TA0004:_db.Users.Count()|};
                    empty = count == 0;
                    return Task.FromResult(count);
                }
            }
            """));
    }

    [Fact]
    public async Task BlockingCallInsideLock_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                private readonly object _gate = new();
                private readonly AppDb _db = new();

                public Task SaveAsync()
                {
                    lock (_gate)
                    {
                        {|TA0004:_db.SaveChanges()|};
                    }

                    return Task.CompletedTask;
                }
            }
            """));
    }

    [Fact]
    public async Task StructMethod_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public struct Counter
            {
                public int Last;

                public Task<int> TotalAsync(AppDb db)
                {
                    Last = {|TA0004:db.Users.Count()|};
                    return Task.FromResult(Last);
                }
            }
            """));
    }

    [Fact]
    public async Task SpanLocal_ReportsWithoutFix()
    {
        await VerifyReportedWithoutFixAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync()
                {
                    Span<int> buffer = stackalloc int[1];
                    buffer[0] = {|TA0004:_db.Users.Count()|};
                    return Task.FromResult(buffer[0]);
                }
            }
            """));
    }

    [Theory]
    [InlineData("await")]
    [InlineData("\\u0061wait")]
    public async Task LocalNamedAwait_ReportsWithoutFix(string name)
    {
        // In an async method 'await' is a keyword: the method cannot become async as it is written.
        await VerifyReportedWithoutFixAsync(Code($$"""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync()
                {
                    var {{name}} = {|TA0004:_db.Users.Count()|};
                    return Task.FromResult({{name}});
                }
            }
            """));
    }

    [Fact]
    public async Task LocalNamedAwaiter_IsFixed()
    {
        // A name that only starts with 'await' is no keyword: the text check must not stop the fix.
        await VerifyFixAsync(
            Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync()
                {
                    var awaiter = {|TA0004:_db.Users.Count()|};
                    return Task.FromResult(awaiter);
                }
            }
            """),
            Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public async Task<int> TotalAsync()
                {
                    var awaiter = await _db.Users.CountAsync();
                    return awaiter;
                }
            }
            """));
    }

    // ---------------------------------------------------------------- silent

    [Fact]
    public async Task FromResultOfInMemoryValues_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Cache
            {
                private readonly Dictionary<int, User> _users = new();
                private readonly List<Log> _logs = new();

                public Task<int> AnswerAsync() => Task.FromResult(42);
                public Task<User?> GetAsync(int id) => Task.FromResult(_users.TryGetValue(id, out var user) ? user : null);
                public Task<List<Log>> ErrorsAsync() => Task.FromResult(_logs.Where(l => l.Level > 3).ToList());
                public Task<int> TotalAsync() => Task.FromResult(_logs.AsQueryable().Count());
                public Task ClearAsync() { _logs.Clear(); return Task.CompletedTask; }
            }
            """));
    }

    [Fact]
    public async Task FromResultOfQueryable_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<IQueryable<User>> ActiveAsync() => Task.FromResult(_db.Users.Where(u => u.Id > 0));
            }
            """));
    }

    [Fact]
    public async Task FromExceptionOnly_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                public Task<int> TotalAsync() => Task.FromException<int>(new NotSupportedException());
            }
            """));
    }

    [Fact]
    public async Task BlockingCallWithoutAsyncCounterpart_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public interface ILegacyStore { int Count(); }

            public sealed class Repo
            {
                private readonly ILegacyStore _store = null!;

                public Task<int> TotalAsync() => Task.FromResult(_store.Count());
            }
            """));
    }

    [Fact]
    public async Task BlockingCallInsideTaskRunDelegate_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<List<User>> AllAsync() => Task.Run(() => _db.Users.ToList());
                public Task<int> TotalAsync() => Task.Run(() => Task.FromResult(_db.Users.Count()));
            }
            """));
    }

    [Fact]
    public async Task TaskWaitInFromResult_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public Task<int> TotalAsync() => Task.FromResult(_db.Users.CountAsync().Result);
            }
            """));
    }

    // One real task among the returns no longer makes the function truly async: the Count() of the other branch still
    // blocks the caller's thread before a task exists (docs/rules/TA0004.md, "Before any task"). The fix awaits both.
    [Fact]
    public async Task OneRealTaskAmongTheReturns_ReportsAndAwaitsBoth()
    {
        await new Verify.Test
        {
            TestCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<int> TotalAsync(bool cached)
                    {
                        if (cached)
                        {
                            return Task.FromResult({|#0:_db.Users.Count()|});
                        }

                        return _db.Users.CountAsync();
                    }
                }
                """),
            FixedCode = Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public async Task<int> TotalAsync(bool cached)
                    {
                        if (cached)
                        {
                            return await _db.Users.CountAsync();
                        }

                        return await _db.Users.CountAsync();
                    }
                }
                """),
            ExpectedDiagnostics =
            {
                new DiagnosticResult(TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer.BeforeTaskRule).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                    .WithArguments("'TotalAsync'", "Count", "EF Core", "make it async and await 'CountAsync' instead"),
            },
        }.RunAsync();
    }

    [Fact]
    public async Task BlockingCallInAsyncMethod_IsLeftToTA0003()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public async Task<int> TotalAsync()
                {
                    await Task.Yield();
                    return _db.Users.Count();
                }
            }
            """));
    }

    [Fact]
    public async Task SynchronousMethodsAndProperties_DoNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly AppDb _db = new();

                public int Count() => _db.Users.Count();
                public Task<int> CountTask => Task.FromResult(_db.Users.Count());
                public void Save() => _db.SaveChanges();
            }
            """));
    }

    [Fact]
    public async Task ExpressionTreeLambda_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            using System.Linq.Expressions;

            public sealed class Repo
            {
                public Expression<Func<AppDb, Task<int>>> Counter() => db => Task.FromResult(db.Users.Count());
            }
            """));
    }

    [Fact]
    public async Task AwaitFromResultOfInMemoryValue_DoesNotReport()
    {
        await VerifyAnalyzerAsync(Code("""
            public sealed class Repo
            {
                private readonly List<User> _users = new();

                public async Task<int> TotalAsync() => await Task.FromResult(_users.Count());
            }
            """));
    }

    // ---------------------------------------------------------------- one voice across the rules

    [Fact]
    public async Task EveryRuleTogether_OneDiagnosticPerBlockingCall()
    {
        var compilation = await CompilationFactory.CreateAsync(new[]
        {
            Code("""
                public sealed class Repo
                {
                    private readonly AppDb _db = new();

                    public Task<List<User>> AllAsync() => Task.FromResult(_db.Users.ToList());
                    public async Task<List<Log>> LogsAsync() => await Task.FromResult(_db.Logs.ToList());
                    public async Task<int> SaveAsync() { await Task.Yield(); return _db.SaveChanges(); }
                    public Task<int> WaitAsync() => Task.FromResult(_db.Users.CountAsync().Result);
                    public Task<User?> OffloadAsync() => Task.Run(() => _db.Users.FirstOrDefault());
                }
                """),
        });
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(compilation, AnalyzerCatalog.CreateAnalyzers());

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        // TA0003 marks the call from its name on, the others the whole call: a call is known by where it ends.
        var perSite = diagnostics.GroupBy(d => d.Location.SourceSpan.End).ToArray();
        Assert.All(perSite, site => Assert.Single(site));
        var ids = diagnostics.Select(d => (d.Id, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan))).ToArray();
        Assert.Contains(("TA0004", "_db.Users.ToList()"), ids);
        Assert.Contains(("TA0004", "_db.Logs.ToList()"), ids);
        Assert.Contains(("TA0002", "_db.Users.CountAsync().Result"), ids);
        Assert.DoesNotContain(ids, i => i.Id == "TA0004" && i.Item2.Contains("FirstOrDefault"));
    }
}
