using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Tests.Infrastructure;
using Xunit;
using Verify = TrueAsync.Tests.Infrastructure.CSharpCodeFixVerifier<
    TrueAsync.Analyzers.Rules.BlockingCallAnalyzer,
    TrueAsync.CodeFixes.Rules.BlockingCallFixer>;

namespace TrueAsync.Tests.Rules;

/// <summary>TA0003: blocking calls in async code where a true async API exists.</summary>
public sealed class BlockingCallTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data;
        using System.Data.Common;
        using System.IO;
        using System.Linq;
        using System.Linq.Expressions;
        using System.Threading;
        using System.Threading.Tasks;
        using Dapper;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;
        using StackExchange.Redis;

        """;

    private const string Model = """

        public sealed class Blog { public int Id { get; set; } public string Name { get; set; } = ""; }
        public sealed class BloggingContext : DbContext { public DbSet<Blog> Blogs => Set<Blog>(); }
        """;

    private static string Code(string members) => Usings + "public sealed class C\n{\n" + members + "\n}\n" + Model;

    private static Task VerifyFixAsync(string members, string fixedMembers) => Verify.VerifyCodeFixAsync(Code(members), Code(fixedMembers));

    private static Task VerifySilentAsync(string members) => Verify.VerifyAnalyzerAsync(Code(members));

    private static Task VerifyReportedWithoutFixAsync(string members)
        => new Verify.Test { TestCode = Code(members), FixedCode = Code(members) }.RunAsync();

    // ---------- EF Core ----------

    [Fact]
    public Task EfToList_Reports()
        => VerifyFixAsync(
            """
                async Task<List<Blog>> M(BloggingContext db) => db.Blogs.Where(b => b.Id > 0).[|ToList()|];
            """,
            """
                async Task<List<Blog>> M(BloggingContext db) => await db.Blogs.Where(b => b.Id > 0).ToListAsync();
            """);

    [Fact]
    public Task EfToListWithTokenParameter_ForwardsToken()
        => VerifyFixAsync(
            """
                async Task<List<Blog>> M(BloggingContext db, CancellationToken ct) => db.Blogs.[|ToList()|];
            """,
            """
                async Task<List<Blog>> M(BloggingContext db, CancellationToken ct) => await db.Blogs.ToListAsync(ct);
            """);

    [Fact]
    public Task EfCountWithTokenLocal_ForwardsLocal()
        => VerifyFixAsync(
            """
                async Task<int> M(BloggingContext db, CancellationTokenSource source)
                {
                    CancellationToken token = source.Token;
                    return db.Blogs.[|Count(b => b.Id > 1)|];
                }
            """,
            """
                async Task<int> M(BloggingContext db, CancellationTokenSource source)
                {
                    CancellationToken token = source.Token;
                    return await db.Blogs.CountAsync(b => b.Id > 1, token);
                }
            """);

    [Fact]
    public Task TokenLocalDeclaredAfterCall_IsNotUsed()
        => VerifyFixAsync(
            """
                async Task M(BloggingContext db, CancellationTokenSource source)
                {
                    db.[|SaveChanges()|];
                    var later = source.Token;
                    await Task.Delay(1, later);
                }
            """,
            """
                async Task M(BloggingContext db, CancellationTokenSource source)
                {
                    await db.SaveChangesAsync();
                    var later = source.Token;
                    await Task.Delay(1, later);
                }
            """);

    [Theory]
    [InlineData("db.Blogs.[|First()|]", "await db.Blogs.FirstAsync()")]
    [InlineData("db.Blogs.[|FirstOrDefault(b => b.Id == 1)|]", "await db.Blogs.FirstOrDefaultAsync(b => b.Id == 1)")]
    [InlineData("db.Blogs.[|Single(b => b.Id == 1)|]", "await db.Blogs.SingleAsync(b => b.Id == 1)")]
    [InlineData("db.Blogs.[|SingleOrDefault()|]", "await db.Blogs.SingleOrDefaultAsync()")]
    [InlineData("db.Blogs.OrderBy(b => b.Id).[|Last()|]", "await db.Blogs.OrderBy(b => b.Id).LastAsync()")]
    [InlineData("db.Blogs.OrderBy(b => b.Id).[|LastOrDefault()|]", "await db.Blogs.OrderBy(b => b.Id).LastOrDefaultAsync()")]
    [InlineData("db.Blogs.[|ElementAt(1)|]", "await db.Blogs.ElementAtAsync(1)")]
    [InlineData("db.Blogs.[|ElementAtOrDefault(1)|]", "await db.Blogs.ElementAtOrDefaultAsync(1)")]
    [InlineData("db.Blogs.[|Find(1)|]", "await db.Blogs.FindAsync(1)")]
    public Task EfEntityMaterializer_Reports(string call, string awaited)
        => VerifyFixAsync(
            "    async Task<Blog?> M(BloggingContext db) => " + call + ";",
            "    async Task<Blog?> M(BloggingContext db) => " + awaited + ";");

    [Theory]
    [InlineData("var r = db.Blogs.[|ToArray()|];", "var r = await db.Blogs.ToArrayAsync();")]
    [InlineData("var r = db.Blogs.[|ToDictionary(b => b.Id)|];", "var r = await db.Blogs.ToDictionaryAsync(b => b.Id);")]
    [InlineData("var r = db.Blogs.[|LongCount()|];", "var r = await db.Blogs.LongCountAsync();")]
    [InlineData("var r = db.Blogs.[|Any()|];", "var r = await db.Blogs.AnyAsync();")]
    [InlineData("var r = db.Blogs.[|All(b => b.Id > 0)|];", "var r = await db.Blogs.AllAsync(b => b.Id > 0);")]
    [InlineData("var r = db.Blogs.[|Min(b => b.Id)|];", "var r = await db.Blogs.MinAsync(b => b.Id);")]
    [InlineData("var r = db.Blogs.[|Max(b => b.Id)|];", "var r = await db.Blogs.MaxAsync(b => b.Id);")]
    [InlineData("var r = db.Blogs.[|Sum(b => b.Id)|];", "var r = await db.Blogs.SumAsync(b => b.Id);")]
    [InlineData("var r = db.Blogs.[|Average(b => b.Id)|];", "var r = await db.Blogs.AverageAsync(b => b.Id);")]
    [InlineData("var r = db.Blogs.Select(b => b.Id).[|Contains(3)|];", "var r = await db.Blogs.Select(b => b.Id).ContainsAsync(3);")]
    [InlineData("var r = db.[|SaveChanges()|];", "var r = await db.SaveChangesAsync();")]
    [InlineData("var r = db.[|SaveChanges(true)|];", "var r = await db.SaveChangesAsync(true);")]
    [InlineData("var r = db.Database.[|EnsureCreated()|];", "var r = await db.Database.EnsureCreatedAsync();")]
    [InlineData("var r = db.Database.[|EnsureDeleted()|];", "var r = await db.Database.EnsureDeletedAsync();")]
    [InlineData("db.Database.[|Migrate()|];", "await db.Database.MigrateAsync();")]
    [InlineData("var r = db.Database.[|ExecuteSqlRaw(\"delete from Blogs\")|];", "var r = await db.Database.ExecuteSqlRawAsync(\"delete from Blogs\");")]
    [InlineData("var r = db.Database.[|ExecuteSqlInterpolated($\"delete from Blogs where Id = {1}\")|];", "var r = await db.Database.ExecuteSqlInterpolatedAsync($\"delete from Blogs where Id = {1}\");")]
    [InlineData("var r = db.Blogs.Where(b => b.Id < 0).[|ExecuteDelete()|];", "var r = await db.Blogs.Where(b => b.Id < 0).ExecuteDeleteAsync();")]
    [InlineData("var r = db.Blogs.[|ExecuteUpdate(s => s.SetProperty(b => b.Name, \"x\"))|];", "var r = await db.Blogs.ExecuteUpdateAsync(s => s.SetProperty(b => b.Name, \"x\"));")]
    [InlineData("db.Blogs.Where(b => b.Id > 2).[|Load()|];", "await db.Blogs.Where(b => b.Id > 2).LoadAsync();")]
    [InlineData("var r = db.Blogs.FromSqlRaw(\"select * from Blogs\").[|ToList()|];", "var r = await db.Blogs.FromSqlRaw(\"select * from Blogs\").ToListAsync();")]
    [InlineData("var q = db.Blogs.Where(b => b.Id > 0); var r = q.[|ToList()|];", "var q = db.Blogs.Where(b => b.Id > 0); var r = await q.ToListAsync();")]
    public Task EfStatement_Reports(string statement, string fixedStatement)
        => VerifyFixAsync(
            "    async Task M(BloggingContext db)\n    {\n        " + statement + "\n    }",
            "    async Task M(BloggingContext db)\n    {\n        " + fixedStatement + "\n    }");

    [Fact]
    public Task EfBeginTransactionInUsing_BecomesAwaitUsing()
        => VerifyFixAsync(
            """
                async Task M(BloggingContext db, CancellationToken ct)
                {
                    using var tx = db.Database.[|BeginTransaction()|];
                    await tx.CommitAsync(ct);
                }
            """,
            """
                async Task M(BloggingContext db, CancellationToken ct)
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await tx.CommitAsync(ct);
                }
            """);

    [Fact]
    public Task EfMemberAccessOnResult_IsParenthesised()
        => VerifyFixAsync(
            """
                async Task<string> M(BloggingContext db) => db.Blogs.[|First()|].Name;
            """,
            """
                async Task<string> M(BloggingContext db) => (await db.Blogs.FirstAsync()).Name;
            """);

    [Fact]
    public Task ForEachOverEfQuery_BecomesAwaitForEach()
        => VerifyFixAsync(
            """
                async Task M(BloggingContext db)
                {
                    [|foreach (var blog in db.Blogs.Where(b => b.Id > 0))|]
                    {
                        Console.WriteLine(blog.Name);
                    }
                }
            """,
            """
                async Task M(BloggingContext db)
                {
                    await foreach (var blog in db.Blogs.Where(b => b.Id > 0).AsAsyncEnumerable())
                    {
                        Console.WriteLine(blog.Name);
                    }
                }
            """);

    [Fact]
    public Task ForEachOverEfQueryWithToken_UsesWithCancellation()
        => VerifyFixAsync(
            """
                async Task M(BloggingContext db, CancellationToken ct)
                {
                    [|foreach (var blog in db.Blogs)|]
                    {
                    }
                }
            """,
            """
                async Task M(BloggingContext db, CancellationToken ct)
                {
                    await foreach (var blog in db.Blogs.AsAsyncEnumerable().WithCancellation(ct))
                    {
                    }
                }
            """);

    [Fact]
    public Task ForEachOverList_DoesNotReport()
        => VerifySilentAsync(
            """
                async Task M(List<Blog> blogs)
                {
                    foreach (var b in blogs.AsQueryable()) { }
                    foreach (var b in blogs) { }
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task ForEachOverEfQueryInCSharp73_ReportsWithoutFix()
    {
        var source = Usings + """
            public sealed class C
            {
                async Task M(BloggingContext db)
                {
                    [|foreach (var blog in db.Blogs)|]
                    {
                    }

                    await Task.Yield();
                }
            }

            public sealed class Blog { public int Id { get; set; } }
            public sealed class BloggingContext : DbContext { public DbSet<Blog> Blogs => Set<Blog>(); }
            """;
        return new Verify.Test { TestCode = source, FixedCode = source, LanguageVersion = LanguageVersion.CSharp7_3 }.RunAsync();
    }

    [Fact]
    public Task ImportMissing_AddsEntityFrameworkCoreUsing()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;

            public sealed class C
            {
                async Task<List<Blog>> M(BloggingContext db) => db.Blogs.[|ToList()|];
            }

            public sealed class Blog { public int Id { get; set; } }
            public sealed class BloggingContext : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<Blog> Blogs => Set<Blog>(); }
            """;
        const string fixedSource = """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            public sealed class C
            {
                async Task<List<Blog>> M(BloggingContext db) => await db.Blogs.ToListAsync();
            }

            public sealed class Blog { public int Id { get; set; } }
            public sealed class BloggingContext : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<Blog> Blogs => Set<Blog>(); }
            """;
        return Verify.VerifyCodeFixAsync(source, fixedSource);
    }

    [Theory]
    [InlineData("var r = new List<Blog>().ToList();")]
    [InlineData("var r = new List<Blog>().AsQueryable().ToList();")]
    [InlineData("var r = new[] { 1, 2 }.AsQueryable().Count();")]
    [InlineData("var r = Enumerable.Range(0, 3).First();")]
    [InlineData("IQueryable<Blog> q = new List<Blog>().AsQueryable(); var r = q.Where(b => b.Id > 0).ToList();")]
    public Task InMemoryLinq_DoesNotReport(string statement)
        => VerifySilentAsync("    async Task M() { " + statement + " await Task.Yield(); }");

    [Theory]
    [InlineData("db.Add(new Blog());")]
    [InlineData("db.Blogs.AddRange(new Blog(), new Blog());")]
    [InlineData("db.Attach(new Blog());")]
    [InlineData("db.Blogs.Add(new Blog());")]
    public Task EfAddAttach_DoesNotReport(string statement)
        => VerifySilentAsync("    async Task M(BloggingContext db) { " + statement + " await db.SaveChangesAsync(); }");

    [Fact]
    public Task DbContextFactoryCreateDbContext_DoesNotReport()
        => VerifySilentAsync("    async Task M(IDbContextFactory<BloggingContext> f) { await using var db = f.CreateDbContext(); }");

    // ---------- ADO.NET ----------

    [Fact]
    public Task SqliteCommandExecuteNonQuery_Reports()
        => VerifyFixAsync(
            """
                async Task<int> M(SqliteCommand cmd, CancellationToken ct) => cmd.[|ExecuteNonQuery()|];
            """,
            """
                async Task<int> M(SqliteCommand cmd, CancellationToken ct) => await cmd.ExecuteNonQueryAsync(ct);
            """);

    [Fact]
    public Task NpgsqlCommandExecuteScalar_Reports()
        => VerifyFixAsync(
            """
                async Task<object?> M(Npgsql.NpgsqlCommand cmd) => cmd.[|ExecuteScalar()|];
            """,
            """
                async Task<object?> M(Npgsql.NpgsqlCommand cmd) => await cmd.ExecuteScalarAsync();
            """);

    [Fact]
    public Task ReaderLoop_Reports()
        => VerifyFixAsync(
            """
                async Task M(SqliteConnection conn)
                {
                    conn.[|Open()|];
                    using var cmd = conn.CreateCommand();
                    using var reader = cmd.[|ExecuteReader()|];
                    while (reader.[|Read()|])
                    {
                        Console.WriteLine(reader.GetInt32(0));
                    }
                }
            """,
            """
                async Task M(SqliteConnection conn)
                {
                    await conn.OpenAsync();
                    using var cmd = conn.CreateCommand();
                    await using var reader = await cmd.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        Console.WriteLine(reader.GetInt32(0));
                    }
                }
            """);

    [Fact]
    public Task SqliteBeginTransaction_BecomesAwaitUsingWithCast()
        => VerifyFixAsync(
            """
                async Task M(SqliteConnection conn)
                {
                    using var tx = conn.[|BeginTransaction()|];
                    tx.[|Commit()|];
                }
            """,
            """
                async Task M(SqliteConnection conn)
                {
                    await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync();
                    await tx.CommitAsync();
                }
            """);

    [Fact]
    public Task DbConnectionBeginTransactionUsingStatement_BecomesAwaitUsing()
        => VerifyFixAsync(
            """
                async Task M(DbConnection conn)
                {
                    using (var tx = conn.[|BeginTransaction()|])
                    {
                        await tx.CommitAsync();
                    }
                }
            """,
            """
                async Task M(DbConnection conn)
                {
                    await using (var tx = await conn.BeginTransactionAsync())
                    {
                        await tx.CommitAsync();
                    }
                }
            """);

    [Fact]
    public Task IDbCommandOfUnknownType_IsCastToDbCommand()
        => VerifyFixAsync(
            """
                async Task M(IDbConnection conn)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "delete from Blogs";
                    cmd.[|ExecuteNonQuery()|];
                    await Task.Yield();
                }
            """,
            """
                async Task M(IDbConnection conn)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.CommandText = "delete from Blogs";
                    await ((DbCommand)cmd).ExecuteNonQueryAsync();
                    await Task.Yield();
                }
            """);

    [Fact]
    public async Task IDbCommandOfUnknownType_MessageNamesDbCommand()
    {
        var source = Code("""
                async Task M(IDbConnection conn)
                {
                    using var cmd = conn.CreateCommand();
                    cmd.{|#0:ExecuteNonQuery()|};
                    await Task.Yield();
                }
            """);
        var test = new Verify.Test { TestCode = source };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic("TA0003").WithLocation(0)
            .WithArguments("ExecuteNonQuery", "ADO.NET", "DbCommand.ExecuteNonQueryAsync"));
        await test.RunAsync();
    }

    [Fact]
    public Task IDbCommandOfKnownType_CastsReceiver()
        => VerifyFixAsync(
            """
                async Task<object?> M()
                {
                    IDbCommand cmd = new SqliteCommand("select 1");
                    return cmd.[|ExecuteScalar()|];
                }
            """,
            """
                async Task<object?> M()
                {
                    IDbCommand cmd = new SqliteCommand("select 1");
                    return await ((DbCommand)cmd).ExecuteScalarAsync();
                }
            """);

    [Fact]
    public Task DbDataReaderColumnGetters_DoNotReport()
        => VerifySilentAsync(
            """
                async Task M(DbDataReader r)
                {
                    var a = r.GetFieldValue<int>(0);
                    var b = r.IsDBNull(1);
                    var c = r.GetString(2);
                    await Task.Yield();
                }
            """);

    // ---------- Dapper ----------

    [Fact]
    public Task DapperQueryToList_KeepsToListOnAwaitedResult()
        => VerifyFixAsync(
            """
                async Task<List<Blog>> M(IDbConnection conn) => conn.[|Query<Blog>("select * from Blogs")|].ToList();
            """,
            """
                async Task<List<Blog>> M(IDbConnection conn) => (await conn.QueryAsync<Blog>("select * from Blogs")).ToList();
            """);

    [Theory]
    [InlineData("var r = conn.[|QueryFirst<Blog>(\"select 1\")|];", "var r = await conn.QueryFirstAsync<Blog>(\"select 1\");")]
    [InlineData("var r = conn.[|QueryFirstOrDefault<Blog>(\"select 1\", new { Id = 1 })|];", "var r = await conn.QueryFirstOrDefaultAsync<Blog>(\"select 1\", new { Id = 1 });")]
    [InlineData("var r = conn.[|QuerySingle<int>(\"select 1\")|];", "var r = await conn.QuerySingleAsync<int>(\"select 1\");")]
    [InlineData("var r = conn.[|QuerySingleOrDefault<int>(\"select 1\")|];", "var r = await conn.QuerySingleOrDefaultAsync<int>(\"select 1\");")]
    [InlineData("var r = conn.[|Execute(\"delete from Blogs\")|];", "var r = await conn.ExecuteAsync(\"delete from Blogs\");")]
    [InlineData("var r = conn.[|ExecuteScalar<int>(\"select 1\")|];", "var r = await conn.ExecuteScalarAsync<int>(\"select 1\");")]
    [InlineData("var r = conn.[|Query(\"select 1\")|];", "var r = await conn.QueryAsync(\"select 1\");")]
    public Task Dapper_Reports(string statement, string fixedStatement)
        => VerifyFixAsync(
            "    async Task M(SqliteConnection conn, CancellationToken ct)\n    {\n        " + statement + "\n    }",
            "    async Task M(SqliteConnection conn, CancellationToken ct)\n    {\n        " + fixedStatement + "\n    }");

    [Fact]
    public Task DapperUnbuffered_DoesNotReport()
        => VerifySilentAsync("    async Task M(IDbConnection conn) { var r = conn.Query<Blog>(\"select 1\", buffered: false); await Task.Yield(); }");

    // ---------- StackExchange.Redis ----------

    [Fact]
    public Task RedisStringGet_Reports()
        => VerifyFixAsync(
            """
                async Task<string?> M(IDatabase redis, CancellationToken ct)
                {
                    redis.[|StringSet("k", "v")|];
                    return redis.[|StringGet("k")|];
                }
            """,
            """
                async Task<string?> M(IDatabase redis, CancellationToken ct)
                {
                    await redis.StringSetAsync("k", "v");
                    return await redis.StringGetAsync("k");
                }
            """);

    // ---------- HTTP, files, streams ----------

    [Fact]
    public Task HttpClientSend_Reports()
        => VerifyFixAsync(
            """
                async Task<int> M(System.Net.Http.HttpClient http, System.Net.Http.HttpRequestMessage request, CancellationToken ct)
                {
                    var a = http.[|Send(request)|];
                    var b = http.[|Send(request, ct)|];
                    return (int)a.StatusCode + (int)b.StatusCode;
                }
            """,
            """
                async Task<int> M(System.Net.Http.HttpClient http, System.Net.Http.HttpRequestMessage request, CancellationToken ct)
                {
                    var a = await http.SendAsync(request, ct);
                    var b = await http.SendAsync(request, ct);
                    return (int)a.StatusCode + (int)b.StatusCode;
                }
            """);

    [Theory]
    [InlineData("var t = File.[|ReadAllText(\"a\")|];", "var t = await File.ReadAllTextAsync(\"a\", ct);")]
    [InlineData("var t = File.[|ReadAllBytes(\"a\")|];", "var t = await File.ReadAllBytesAsync(\"a\", ct);")]
    [InlineData("var t = File.[|ReadAllLines(\"a\")|];", "var t = await File.ReadAllLinesAsync(\"a\", ct);")]
    [InlineData("File.[|WriteAllText(\"a\", \"b\")|];", "await File.WriteAllTextAsync(\"a\", \"b\", ct);")]
    [InlineData("File.[|WriteAllBytes(\"a\", new byte[1])|];", "await File.WriteAllBytesAsync(\"a\", new byte[1], ct);")]
    [InlineData("File.[|AppendAllText(\"a\", \"b\")|];", "await File.AppendAllTextAsync(\"a\", \"b\", ct);")]
    [InlineData("File.[|AppendAllLines(\"a\", new[] { \"b\" })|];", "await File.AppendAllLinesAsync(\"a\", new[] { \"b\" }, ct);")]
    [InlineData("var n = s.[|Read(buffer, 0, buffer.Length)|];", "var n = await s.ReadAsync(buffer, 0, buffer.Length, ct);")]
    [InlineData("s.[|Write(buffer, 0, buffer.Length)|];", "await s.WriteAsync(buffer, 0, buffer.Length, ct);")]
    [InlineData("s.[|Flush()|];", "await s.FlushAsync(ct);")]
    [InlineData("s.[|CopyTo(Stream.Null)|];", "await s.CopyToAsync(Stream.Null, ct);")]
    [InlineData("var t = reader.[|ReadToEnd()|];", "var t = await reader.ReadToEndAsync(ct);")]
    [InlineData("var t = reader.[|ReadLine()|];", "var t = await reader.ReadLineAsync(ct);")]
    public Task FilesAndStreams_Report(string statement, string fixedStatement)
        => VerifyFixAsync(
            "    async Task M(Stream s, StreamReader reader, byte[] buffer, CancellationToken ct)\n    {\n        " + statement + "\n    }",
            "    async Task M(Stream s, StreamReader reader, byte[] buffer, CancellationToken ct)\n    {\n        " + fixedStatement + "\n    }");

    [Fact]
    public Task FileReadLinesInForEach_BecomesAwaitForEach()
        => VerifyFixAsync(
            """
                async Task M()
                {
                    foreach (var line in File.[|ReadLines("a")|])
                    {
                        Console.WriteLine(line);
                    }
                }
            """,
            """
                async Task M()
                {
                    await foreach (var line in File.ReadLinesAsync("a"))
                    {
                        Console.WriteLine(line);
                    }
                }
            """);

    [Theory]
    [InlineData("var s = new MemoryStream(); s.Write(buffer, 0, 1); s.Flush(); s.CopyTo(Stream.Null);")]
    [InlineData("var r = new StringReader(\"x\"); var t = r.ReadToEnd(); var l = r.ReadLine();")]
    [InlineData("var w = new StringWriter(); w.Write(\"x\"); w.Flush();")]
    [InlineData("Console.WriteLine(\"x\"); Console.Out.WriteLine(\"x\"); Console.Out.Flush(); var l = Console.In.ReadLine();")]
    public Task InMemoryIo_DoesNotReport(string statements)
        => VerifySilentAsync("    async Task M(byte[] buffer) { " + statements + " await Task.Yield(); }");

    // A TextWriter parameter is as often Console.Out or a StringWriter as a file: no evidence of I/O.
    [Fact]
    public Task WriterTypedAsAbstractTextWriter_DoesNotReport()
        => VerifySilentAsync("    async Task M(TextWriter output, TextReader input) { output.WriteLine(\"x\"); output.Flush(); var l = input.ReadLine(); await Task.Yield(); }");

    [Fact]
    public Task StreamWriterWriteLine_BecomesWriteLineAsync()
        => VerifyFixAsync(
            """
                async Task M(StreamWriter file)
                {
                    file.[|WriteLine("x")|];
                }
            """,
            """
                async Task M(StreamWriter file)
                {
                    await file.WriteLineAsync("x");
                }
            """);

    // ---------- Threading ----------

    [Fact]
    public Task ThreadSleep_BecomesTaskDelay()
        => VerifyFixAsync(
            """
                async Task M(CancellationToken ct)
                {
                    Thread.[|Sleep(100)|];
                    Thread.[|Sleep(TimeSpan.FromSeconds(1))|];
                }
            """,
            """
                async Task M(CancellationToken ct)
                {
                    await Task.Delay(100, ct);
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                }
            """);

    [Fact]
    public Task SemaphoreSlimWait_BecomesWaitAsync()
        => VerifyFixAsync(
            """
                async Task M(SemaphoreSlim gate)
                {
                    gate.[|Wait()|];
                    try { } finally { gate.Release(); }
                    if (gate.[|Wait(TimeSpan.FromSeconds(1))|]) gate.Release();
                }
            """,
            """
                async Task M(SemaphoreSlim gate)
                {
                    await gate.WaitAsync();
                    try { } finally { gate.Release(); }
                    if (await gate.WaitAsync(TimeSpan.FromSeconds(1))) gate.Release();
                }
            """);

    [Fact]
    public Task ProcessWaitForExit_Reports()
        => VerifyFixAsync(
            """
                async Task M(System.Diagnostics.Process p, CancellationToken ct) => p.[|WaitForExit()|];
            """,
            """
                async Task M(System.Diagnostics.Process p, CancellationToken ct) => await p.WaitForExitAsync(ct);
            """);

    [Theory]
    [InlineData("t.Wait();")]
    [InlineData("var r = t.Result;")]
    [InlineData("var r = t.GetAwaiter().GetResult();")]
    [InlineData("Task.WaitAll(t);")]
    [InlineData("Task.WaitAny(t);")]
    [InlineData("cts.Cancel();")]
    [InlineData("if (gate.Wait(0)) gate.Release();")]
    [InlineData("var done = System.Diagnostics.Process.GetCurrentProcess().WaitForExit(100);")]
    public Task TaskWaitsAndNonBlockingCalls_DoNotReport(string statement)
        => VerifySilentAsync("    async Task M(Task<int> t, CancellationTokenSource cts, SemaphoreSlim gate) { " + statement + " await Task.Yield(); }");

    // ---------- Name lookup on user types ----------

    [Fact]
    public Task UserTypeWithAsyncTwin_Reports()
        => VerifyFixAsync(
            """
                async Task<int> M(Repository repo, CancellationToken cancellationToken) => repo.[|Load(1)|] + 1;
            }

            public class Repository
            {
                public int Load(int id) => id;
                public Task<int> LoadAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(id);
            """,
            """
                async Task<int> M(Repository repo, CancellationToken cancellationToken) => await repo.LoadAsync(1, cancellationToken) + 1;
            }

            public class Repository
            {
                public int Load(int id) => id;
                public Task<int> LoadAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(id);
            """);

    [Fact]
    public Task UserTypeWithEapTwin_DoesNotReport()
        => VerifySilentAsync(
            """
                async Task M(Client c) { c.Send("x"); await Task.Yield(); }
            }

            public class Client
            {
                public void Send(string s) { }
                public void SendAsync(string s) { }
            """);

    [Fact]
    public Task EnclosingMethodsOwnSyncTwin_DoesNotReport()
        => VerifySilentAsync(
            """
                public int Load() => 1;
                public async Task<int> LoadAsync() { await Task.Yield(); return Load(); }
            """);

    [Fact]
    public Task RepositoryAsyncMethodCallingContextSyncMethod_Reports()
        => VerifyFixAsync(
            """
                private readonly BloggingContext db = new();
                public async Task<int> SaveChangesAsync(CancellationToken ct) => db.[|SaveChanges()|];
            """,
            """
                private readonly BloggingContext db = new();
                public async Task<int> SaveChangesAsync(CancellationToken ct) => await db.SaveChangesAsync(ct);
            """);

    [Fact]
    public Task DecoratorCallingInnerSyncMethod_Reports()
        => VerifyFixAsync(
            """
                async Task<int> M(IRepo repo) => await new Decorator(repo).LoadAsync();
            }

            public interface IRepo { int Load(); Task<int> LoadAsync(); }

            public sealed class Decorator : IRepo
            {
                private readonly IRepo inner;
                public Decorator(IRepo inner) => this.inner = inner;
                public int Load() => inner.Load();
                public async Task<int> LoadAsync() => inner.[|Load()|];
            """,
            """
                async Task<int> M(IRepo repo) => await new Decorator(repo).LoadAsync();
            }

            public interface IRepo { int Load(); Task<int> LoadAsync(); }

            public sealed class Decorator : IRepo
            {
                private readonly IRepo inner;
                public Decorator(IRepo inner) => this.inner = inner;
                public int Load() => inner.Load();
                public async Task<int> LoadAsync() => await inner.LoadAsync();
            """);

    [Fact]
    public Task DbContextSaveChangesAsyncOverrideCallingBase_DoesNotReport()
        => VerifySilentAsync(
            """
            }

            public sealed class AuditingContext : DbContext
            {
                public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
                {
                    await Task.Yield();
                    return SaveChanges();
                }
            """);

    // ---------- Where the rule applies ----------

    [Fact]
    public Task AsyncLambdaAndLocalFunction_Report()
        => VerifyFixAsync(
            """
                void M(BloggingContext db)
                {
                    Func<Task> f = async () => db.[|SaveChanges()|];
                    async Task Local() => db.[|SaveChanges()|];
                }
            """,
            """
                void M(BloggingContext db)
                {
                    Func<Task> f = async () => await db.SaveChangesAsync();
                    async Task Local() => await db.SaveChangesAsync();
                }
            """);

    [Fact]
    public Task SyncLambdaInsideAsyncMethod_DoesNotReport()
        => VerifySilentAsync(
            """
                async Task M(BloggingContext db, List<Blog> items)
                {
                    items.ForEach(x => db.SaveChanges());
                    Func<int> f = () => db.SaveChanges();
                    int Local() => db.SaveChanges();
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task QueryClauseAndCatchFilter_DoNotReport()
        => VerifySilentAsync(
            """
                async Task M(BloggingContext db, List<Blog> blogs)
                {
                    var counts = from b in blogs select db.Blogs.Count();
                    try { await Task.Yield(); }
                    catch (Exception) when (db.SaveChanges() > 0) { }
                }
            """);

    [Fact]
    public Task QuerySyntaxMaterialized_Reports()
        => VerifyFixAsync(
            """
                async Task<List<int>> M(BloggingContext db) => (from b in db.Blogs where b.Id > 0 select b.Id).[|ToList()|];
            """,
            """
                async Task<List<int>> M(BloggingContext db) => await (from b in db.Blogs where b.Id > 0 select b.Id).ToListAsync();
            """);

    [Fact]
    public Task SynchronousMethod_DoesNotReport()
        => VerifySilentAsync("    void M(BloggingContext db) { db.SaveChanges(); Thread.Sleep(1); }");

    [Fact]
    public Task TaskRunDelegate_IsLeftToTA0001()
        => VerifySilentAsync(
            """
                async Task M(BloggingContext db)
                {
                    await Task.Run(() => db.SaveChanges());
                    await Task.Run(async () => { db.SaveChanges(); await Task.Yield(); });
                    await Task.Factory.StartNew(() => db.SaveChanges());
                }
            """);

    [Fact]
    public Task LockBody_DoesNotReport()
        => VerifySilentAsync(
            """
                private readonly object gate = new();
                async Task M(BloggingContext db)
                {
                    lock (gate) { db.SaveChanges(); Thread.Sleep(1); }
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task ExpressionTreeAndNameOf_DoNotReport()
        => VerifySilentAsync(
            """
                async Task M(BloggingContext db)
                {
                    Expression<Func<int>> e = () => db.SaveChanges();
                    var n = nameof(db.SaveChanges);
                    var q = db.Blogs.Where(b => new[] { 1, 2 }.Count() > b.Id);
                    await Task.Yield();
                }
            """);

    [Fact]
    public Task ExcludedMethodsOption_DoesNotReport()
    {
        var test = new Verify.Test
        {
            TestCode = Code("    async Task M(BloggingContext db) { db.SaveChanges(); Thread.[|Sleep(1)|]; }"),
            FixedCode = Code("    async Task M(BloggingContext db) { db.SaveChanges(); await Task.Delay(1); }"),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            TA0003.excluded_methods = M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task TopLevelStatementsWithAwait_Report()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            Thread.[|Sleep(10)|];
            await Task.Yield();
            """;
        const string fixedSource = """
            using System.Threading;
            using System.Threading.Tasks;

            await Task.Delay(10);
            await Task.Yield();
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = fixedSource };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync();
    }

    [Fact]
    public Task ConditionalAccess_ReportsWithoutFix()
        => VerifyReportedWithoutFixAsync("    async Task M(BloggingContext? db) { var n = db?.[|SaveChanges()|]; await Task.Yield(); }");

    // ---------- Reference sets and language versions ----------

    [Fact]
    public Task NetStandard20_NoFileAsyncApi_DoesNotReport()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;

            public sealed class C
            {
                async Task<string> M() { await Task.Yield(); return File.ReadAllText("a"); }
            }
            """;
        return new Verify.Test { TestCode = source, ReferenceAssemblies = TestReferences.NetStandard20 }.RunAsync();
    }

    [Fact]
    public Task NetStandard20_StreamRead_Reports()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;

            public sealed class C
            {
                async Task<int> M(Stream s, byte[] b) => s.[|Read(b, 0, b.Length)|];
            }
            """;
        const string fixedSource = """
            using System.IO;
            using System.Threading.Tasks;

            public sealed class C
            {
                async Task<int> M(Stream s, byte[] b) => await s.ReadAsync(b, 0, b.Length);
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = fixedSource, ReferenceAssemblies = TestReferences.NetStandard20 }.RunAsync();
    }

    [Fact]
    public Task CSharp73_UsingStatement_AwaitsWithoutAwaitUsing()
    {
        var source = Usings + """
            public sealed class C
            {
                async Task M(DbConnection conn)
                {
                    using (var tx = conn.[|BeginTransaction()|])
                    {
                        await tx.CommitAsync();
                    }
                }
            }
            """;
        var fixedSource = Usings + """
            public sealed class C
            {
                async Task M(DbConnection conn)
                {
                    using (var tx = await conn.BeginTransactionAsync())
                    {
                        await tx.CommitAsync();
                    }
                }
            }
            """;
        return new Verify.Test { TestCode = source, FixedCode = fixedSource, LanguageVersion = LanguageVersion.CSharp7_3 }.RunAsync();
    }
}
