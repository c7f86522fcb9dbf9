using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Analyzers.Rules;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.FakeAsyncMethodAnalyzer,
    TrueAsync.CodeFixes.Rules.FakeAsyncMethodFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// TA0004, a Task-returning function that is not async and blocks before it returns a real task (docs/rules/TA0004.md,
/// "Before any task"): the blocking call runs on the caller's thread before any task exists. The fix makes the function
/// async, awaits the counterpart and awaits the task it returned.
/// </summary>
public sealed class BlockingBeforeTaskTests
{
    private const string Code = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;

        public sealed class User { public int Id { get; set; } public bool Active { get; set; } }
        public sealed class AppDb : DbContext { public DbSet<User> Users => Set<User>(); }
        public sealed class Cache
        {
            public Task RemoveAsync(string key) => Task.Delay(1);
            public Task<int> StoreAsync(int value) => Task.FromResult(value);
        }

        """;

    private static DiagnosticResult BeforeTask(int location, string function, string blocking, string advice)
        => new DiagnosticResult(FakeAsyncMethodAnalyzer.BeforeTaskRule).WithLocation(location).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithArguments(function, blocking, "EF Core", advice);

    [Fact]
    public async Task BlockingThenRealTask_ReportsAndFixes()
    {
        await new Verify.Test
        {
            TestCode = Code + """
                public sealed class Users
                {
                    public Task Deactivate(AppDb db, Cache cache, int id, string key)
                    {
                        var user = {|#0:db.Users.Single(u => u.Id == id)|};
                        user.Active = false;
                        return cache.RemoveAsync(key);
                    }

                    public Task<int> Save(AppDb db, int id)
                    {
                        var user = {|#1:db.Users.First(u => u.Id == id)|};
                        user.Active = true;
                        return db.SaveChangesAsync();
                    }

                    public Task<int> Store(AppDb db, Cache cache) => cache.StoreAsync({|#2:db.Users.Count()|});
                }
                """,
            FixedCode = Code + """
                public sealed class Users
                {
                    public async Task Deactivate(AppDb db, Cache cache, int id, string key)
                    {
                        var user = await db.Users.SingleAsync(u => u.Id == id);
                        user.Active = false;
                        await cache.RemoveAsync(key);
                    }

                    public async Task<int> Save(AppDb db, int id)
                    {
                        var user = await db.Users.FirstAsync(u => u.Id == id);
                        user.Active = true;
                        return await db.SaveChangesAsync();
                    }

                    public async Task<int> Store(AppDb db, Cache cache) => await cache.StoreAsync(await db.Users.CountAsync());
                }
                """,
            ExpectedDiagnostics =
            {
                BeforeTask(0, "'Deactivate'", "Single", "make it async and await 'SingleAsync' instead"),
                BeforeTask(1, "'Save'", "First", "make it async and await 'FirstAsync' instead"),
                BeforeTask(2, "'Store'", "Count", "make it async and await 'CountAsync' instead"),
            },
        }.RunAsync();
    }

    // A returned value that cannot be awaited (null) or a parameter passed by reference: reported, not fixed.
    [Fact]
    public async Task NotRewritable_ReportedWithoutFix()
    {
        var source = Code + """
            public sealed class Users
            {
                public Task Deactivate(AppDb db, bool skip)
                {
                    {|#0:db.SaveChanges()|};
                    return skip ? Task.CompletedTask : null!;
                }

                public Task Count(AppDb db, ref int count)
                {
                    count = {|#1:db.Users.Count()|};
                    return Task.Delay(1);
                }
            }
            """;
        await new Verify.Test
        {
            TestCode = source,
            FixedCode = source,
            ExpectedDiagnostics =
            {
                BeforeTask(0, "'Deactivate'", "SaveChanges", "make it async and await 'SaveChangesAsync' instead"),
                BeforeTask(1, "'Count'", "Count", "make it async and await 'CountAsync' instead"),
            },
        }.RunAsync();
    }

    // No blocking call; a blocking call in a lambda the function only builds; synchronous functions; async ones (TA0003's).
    [Fact]
    public Task LookAlikes_Silent()
        => Verify.VerifyAnalyzerAsync(Code + """
            public sealed class Users
            {
                public Task Remove(Cache cache, string key) => cache.RemoveAsync(key);

                public Task<Func<int>> Later(AppDb db) => Task.FromResult<Func<int>>(() => db.Users.Count());

                public int Count(AppDb db) => db.Users.Count();

                public async Task<int> CountAsync(AppDb db, Cache cache)
                {
                    await cache.RemoveAsync("k");
                    return db.Users.Count();
                }
            }
            """);
}
