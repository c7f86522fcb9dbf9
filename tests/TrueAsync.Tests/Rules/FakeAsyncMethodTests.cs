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

    // Reported and offered no fix: the code stays as it is when fixes are applied.
    private static Task VerifyReportedWithoutFixAsync(string source) => Verify.VerifyCodeFixAsync(source, source);

    // ---------------------------------------------------------------- the shapes from the issue: reported and fixed

    [Fact]
    public async Task FromResultOfToList_ExpressionBodied_ReportsAndFixes()
    {
        await Verify.VerifyCodeFixAsync(
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
        await Verify.VerifyCodeFixAsync(
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
        await Verify.VerifyCodeFixAsync(
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
        await Verify.VerifyCodeFixAsync(
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
        await Verify.VerifyCodeFixAsync(
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
}
