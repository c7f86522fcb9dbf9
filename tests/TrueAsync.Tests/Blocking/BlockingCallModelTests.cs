using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Testing;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Blocking;

/// <summary>The blocking-call model on real libraries: counterparts found, and the calls it must leave alone.</summary>
public sealed class BlockingCallModelTests
{
    private const string Prelude = """
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

        public sealed class Blog { public int Id { get; set; } public string Name { get; set; } = ""; public List<Post> Posts { get; set; } = new(); }
        public sealed class Post { public int Id { get; set; } }
        public sealed class BloggingContext : DbContext { public DbSet<Blog> Blogs => Set<Blog>(); }

        """;

    [Fact]
    public async Task EfToListOnDbSet_HasToListAsync()
    {
        var c = await CounterpartAsync("async Task M(BloggingContext db) { var l = db.Blogs.Where(b => b.Id > 1).ToList(); }", "ToList");
        Assert.Equal("ToList", c.BlockingMember);
        Assert.Equal("ToListAsync", c.AsyncMember);
        Assert.Equal("EF Core", c.Library);
        Assert.Equal(CounterpartKind.Rename, c.Kind);
        Assert.True(c.IsFixable);
        Assert.Equal("Microsoft.EntityFrameworkCore", c.ImportNamespace);
        Assert.Equal(TokenPassing.Positional, c.Token);
    }

    [Theory]
    [InlineData("db.Blogs.First()", "FirstAsync")]
    [InlineData("db.Blogs.FirstOrDefault(b => b.Id == 1)", "FirstOrDefaultAsync")]
    [InlineData("db.Blogs.Count()", "CountAsync")]
    [InlineData("db.Blogs.Any(b => b.Id == 2)", "AnyAsync")]
    [InlineData("db.Blogs.Max(b => b.Id)", "MaxAsync")]
    [InlineData("db.Blogs.Sum(b => b.Id)", "SumAsync")]
    [InlineData("db.Blogs.ToArray()", "ToArrayAsync")]
    [InlineData("db.Blogs.ToDictionary(b => b.Id)", "ToDictionaryAsync")]
    [InlineData("db.Set<Blog>().Single(b => b.Id == 3)", "SingleAsync")]
    [InlineData("db.Blogs.FromSqlRaw(\"select * from Blogs\").ToList()", "ToListAsync")]
    [InlineData("db.Blogs.AsNoTracking().OrderBy(b => b.Name).LastOrDefault()", "LastOrDefaultAsync")]
    [InlineData("db.Blogs.ElementAt(2)", "ElementAtAsync")]
    [InlineData("db.SaveChanges()", "SaveChangesAsync")]
    [InlineData("db.Blogs.Find(1)", "FindAsync")]
    [InlineData("db.Database.EnsureCreated()", "EnsureCreatedAsync")]
    [InlineData("db.Database.EnsureDeleted()", "EnsureDeletedAsync")]
    [InlineData("db.Database.BeginTransaction()", "BeginTransactionAsync")]
    [InlineData("db.Database.ExecuteSqlRaw(\"delete from Blogs\")", "ExecuteSqlRawAsync")]
    [InlineData("db.Database.ExecuteSqlInterpolated($\"delete from Blogs where Id = {1}\")", "ExecuteSqlInterpolatedAsync")]
    [InlineData("db.Blogs.Where(b => b.Id < 0).ExecuteDelete()", "ExecuteDeleteAsync")]
    [InlineData("db.Blogs.ExecuteUpdate(s => s.SetProperty(b => b.Name, \"x\"))", "ExecuteUpdateAsync")]
    [InlineData("db.Blogs.Load()", "LoadAsync")]
    [InlineData("db.Entry(db.Blogs.Local.First()).Collection(b => b.Posts).Load()", "LoadAsync")]
    public async Task EfCall_HasCounterpart(string call, string expected)
    {
        var name = expected.Substring(0, expected.Length - "Async".Length);
        var c = await CounterpartAsync("async Task M(BloggingContext db) { " + call + "; }", name, last: true);
        Assert.Equal(expected, c.AsyncMember);
        Assert.Equal("EF Core", c.Library);
    }

    [Fact]
    public async Task EfMigrate_HasMigrateAsync()
    {
        var c = await CounterpartAsync("async Task M(BloggingContext db) { db.Database.Migrate(); }", "Migrate");
        Assert.Equal("MigrateAsync", c.AsyncMember);
        Assert.Equal(TokenPassing.Positional, c.Token);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task EfQueryThroughLocal_HasCounterpart()
    {
        var c = await CounterpartAsync("""
            async Task M(BloggingContext db, bool f)
            {
                var q = db.Blogs.Where(b => b.Id > 0);
                if (f) q = q.Where(b => b.Name != "");
                var l = q.ToList();
            }
            """, "ToList");
        Assert.Equal("ToListAsync", c.AsyncMember);
    }

    [Fact]
    public async Task FindWithParams_PassesNoToken()
    {
        var c = await CounterpartAsync("async Task M(BloggingContext db) { var b = db.Blogs.Find(1); }", "Find");
        Assert.Equal("FindAsync", c.AsyncMember);
        Assert.Equal(TokenPassing.None, c.Token);
        Assert.True(c.IsFixable);
    }

    [Theory]
    [InlineData("new List<Blog>().ToList()")]
    [InlineData("new List<Blog>().AsQueryable().ToList()")]
    [InlineData("new[] { 1, 2 }.Count()")]
    [InlineData("Enumerable.Range(0, 3).First()")]
    public async Task InMemoryLinq_HasNoCounterpart(string call)
    {
        var name = call.Substring(call.LastIndexOf('.') + 1, call.LastIndexOf('(') - call.LastIndexOf('.') - 1);
        await AssertNoCounterpartAsync("async Task M() { var r = " + call + "; await Task.Yield(); }", name, last: true);
    }

    [Fact]
    public async Task QueryableParameter_HasNoCounterpart()
    {
        // The origin of an IQueryable parameter is unknown: it may be LINQ to Objects, where EF's async operators throw.
        await AssertNoCounterpartAsync("async Task M(IQueryable<Blog> q) { var l = q.ToList(); }", "ToList");
    }

    [Theory]
    [InlineData("async Task M(BloggingContext db, Blog b) { db.Add(b); }", "Add")]
    [InlineData("async Task M(BloggingContext db, Blog b) { db.Blogs.AddRange(b, b); }", "AddRange")]
    [InlineData("async Task M(BloggingContext db, Blog b) { db.Attach(b); }", "Attach")]
    [InlineData("async Task M(IDbContextFactory<BloggingContext> f) { using var db = f.CreateDbContext(); }", "CreateDbContext")]
    [InlineData("async Task M(DbDataReader r) { var v = r.GetFieldValue<int>(0); var n = r.IsDBNull(1); }", "GetFieldValue")]
    [InlineData("async Task M(CancellationTokenSource cts) { cts.Cancel(); }", "Cancel")]
    [InlineData("async Task M() { Console.Out.WriteLine(\"x\"); }", "WriteLine")]
    [InlineData("async Task M(byte[] b) { var s = new MemoryStream(); s.Write(b, 0, 1); s.CopyTo(Stream.Null); }", "Write")]
    [InlineData("async Task M() { var r = new StringReader(\"x\"); var t = r.ReadToEnd(); }", "ReadToEnd")]
    [InlineData("async Task M() { var w = new StringWriter(); w.Write(\"x\"); w.Flush(); }", "Flush")]
    [InlineData("async Task M(Task t) { t.Wait(); }", "Wait")]
    [InlineData("async Task M(Task<int> t) { var r = t.GetAwaiter().GetResult(); }", "GetResult")]
    [InlineData("async Task M(Task t) { Task.WaitAll(t); }", "WaitAll")]
    [InlineData("async Task M(SemaphoreSlim s) { if (s.Wait(0)) s.Release(); }", "Wait")]
    [InlineData("async Task M(Stream s) { s.Dispose(); }", "Dispose")]
    public async Task NeverSuggested_HasNoCounterpart(string member, string name)
        => await AssertNoCounterpartAsync(member, name);

    [Fact]
    public async Task ThreadSleep_IsTaskDelay()
    {
        var c = await CounterpartAsync("async Task M() { Thread.Sleep(100); }", "Sleep");
        Assert.Equal(CounterpartKind.StaticReplacement, c.Kind);
        Assert.Equal("Delay", c.AsyncMember);
        Assert.Equal("Task.Delay", c.AsyncDisplay);
        Assert.Equal("global::System.Threading.Tasks.Task", c.ReplacementType);
        Assert.Equal(TokenPassing.Positional, c.Token);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task SemaphoreWait_IsWaitAsync()
    {
        var c = await CounterpartAsync("async Task M(SemaphoreSlim s) { s.Wait(); s.Release(); }", "Wait");
        Assert.Equal("WaitAsync", c.AsyncMember);
        Assert.Equal("System.Threading", c.Library);
    }

    [Fact]
    public async Task ProcessWaitForExit_IsWaitForExitAsync()
    {
        var c = await CounterpartAsync("async Task M(System.Diagnostics.Process p) { p.WaitForExit(); }", "WaitForExit");
        Assert.Equal("WaitForExitAsync", c.AsyncMember);
        Assert.Equal(TokenPassing.Positional, c.Token);
    }

    [Fact]
    public async Task ProcessWaitForExitWithTimeout_HasNoCounterpart()
        => await AssertNoCounterpartAsync("async Task M(System.Diagnostics.Process p) { var done = p.WaitForExit(1000); }", "WaitForExit");

    [Fact]
    public async Task IDbCommandFromInterface_IsFixableWithCastToDbCommand()
    {
        var c = await CounterpartAsync("async Task M(IDbConnection conn) { using var cmd = conn.CreateCommand(); cmd.ExecuteNonQuery(); }", "ExecuteNonQuery");
        Assert.Equal(CounterpartKind.CastReceiver, c.Kind);
        Assert.Equal("ExecuteNonQueryAsync", c.AsyncMember);
        Assert.Equal("DbCommand.ExecuteNonQueryAsync", c.AsyncDisplay);
        Assert.Equal("ADO.NET", c.Library);
        Assert.Equal("global::System.Data.Common.DbCommand", c.CastType);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task IDbCommandLocalOfKnownType_IsFixableWithCast()
    {
        var c = await CounterpartAsync("async Task M() { IDbCommand cmd = new SqliteCommand(\"select 1\"); var o = cmd.ExecuteScalar(); }", "ExecuteScalar");
        Assert.Equal(CounterpartKind.CastReceiver, c.Kind);
        Assert.Equal("global::System.Data.Common.DbCommand", c.CastType);
        Assert.True(c.IsFixable);
    }

    [Theory]
    [InlineData("async Task M(SqliteCommand cmd) { var n = cmd.ExecuteNonQuery(); }", "ExecuteNonQuery", "ExecuteNonQueryAsync")]
    [InlineData("async Task M(SqliteCommand cmd) { using var r = cmd.ExecuteReader(); }", "ExecuteReader", "ExecuteReaderAsync")]
    [InlineData("async Task M(DbDataReader r) { while (r.Read()) { } }", "Read", "ReadAsync")]
    [InlineData("async Task M(SqliteConnection c) { c.Open(); }", "Open", "OpenAsync")]
    [InlineData("async Task M(Npgsql.NpgsqlCommand cmd) { var o = cmd.ExecuteScalar(); }", "ExecuteScalar", "ExecuteScalarAsync")]
    public async Task AdoNet_HasCounterpart(string member, string name, string expected)
    {
        var c = await CounterpartAsync(member, name);
        Assert.Equal(expected, c.AsyncMember);
        Assert.Equal("ADO.NET", c.Library);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task SqliteBeginTransaction_CastsResultAndIsAsyncDisposable()
    {
        var c = await CounterpartAsync("async Task M(SqliteConnection conn) { using var tx = conn.BeginTransaction(); tx.Commit(); }", "BeginTransaction");
        Assert.Equal("BeginTransactionAsync", c.AsyncMember);
        Assert.Equal("global::Microsoft.Data.Sqlite.SqliteTransaction", c.ResultCast);
        Assert.True(c.ResultIsAsyncDisposable);
        Assert.True(c.AwaitForEachAllowed);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task DbConnectionBeginTransaction_NeedsNoCast()
    {
        var c = await CounterpartAsync("async Task M(DbConnection conn) { using var tx = conn.BeginTransaction(); tx.Commit(); }", "BeginTransaction");
        Assert.Null(c.ResultCast);
        Assert.True(c.ResultIsAsyncDisposable);
    }

    [Theory]
    [InlineData("conn.Query<Blog>(\"select * from Blogs\").ToList()", "Query", "QueryAsync")]
    [InlineData("conn.QueryFirst<Blog>(\"select * from Blogs\")", "QueryFirst", "QueryFirstAsync")]
    [InlineData("conn.QueryFirstOrDefault<Blog>(\"select * from Blogs\", new { Id = 1 })", "QueryFirstOrDefault", "QueryFirstOrDefaultAsync")]
    [InlineData("conn.QuerySingle(\"select 1\")", "QuerySingle", "QuerySingleAsync")]
    [InlineData("conn.Execute(\"delete from Blogs\")", "Execute", "ExecuteAsync")]
    [InlineData("conn.ExecuteScalar<int>(\"select 1\")", "ExecuteScalar", "ExecuteScalarAsync")]
    [InlineData("conn.ExecuteReader(\"select 1\")", "ExecuteReader", "ExecuteReaderAsync")]
    public async Task Dapper_HasCounterpart(string call, string name, string expected)
    {
        var c = await CounterpartAsync("async Task M(IDbConnection conn) { var r = " + call + "; }", name);
        Assert.Equal(expected, c.AsyncMember);
        Assert.Equal("Dapper", c.Library);
        Assert.Equal(TokenPassing.None, c.Token);
        Assert.Null(c.ImportNamespace);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task DapperUnbuffered_HasNoCounterpart()
        // QueryAsync has no 'buffered' parameter: unbuffered streaming is a different API.
        => await AssertNoCounterpartAsync("async Task M(IDbConnection conn) { var r = conn.Query<Blog>(\"select 1\", buffered: false); }", "Query");

    [Theory]
    [InlineData("async Task M(IDatabase db) { var v = db.StringGet(\"k\"); }", "StringGet", "StringGetAsync")]
    [InlineData("async Task M(IDatabase db) { db.StringSet(\"k\", \"v\"); }", "StringSet", "StringSetAsync")]
    [InlineData("async Task M(IDatabase db) { var n = db.HashGetAll(\"k\"); }", "HashGetAll", "HashGetAllAsync")]
    public async Task Redis_HasCounterpart(string member, string name, string expected)
    {
        var c = await CounterpartAsync(member, name);
        Assert.Equal(expected, c.AsyncMember);
        Assert.Equal("StackExchange.Redis", c.Library);
        Assert.Equal(TokenPassing.None, c.Token);
    }

    [Theory]
    [InlineData("async Task M(System.Net.Http.HttpClient h, System.Net.Http.HttpRequestMessage r) { var x = h.Send(r); }", "Send", "SendAsync", "HttpClient")]
    [InlineData("async Task M() { var t = File.ReadAllText(\"a\"); }", "ReadAllText", "ReadAllTextAsync", "System.IO")]
    [InlineData("async Task M() { File.WriteAllBytes(\"a\", new byte[1]); }", "WriteAllBytes", "WriteAllBytesAsync", "System.IO")]
    [InlineData("async Task M() { File.AppendAllLines(\"a\", new[] { \"x\" }); }", "AppendAllLines", "AppendAllLinesAsync", "System.IO")]
    [InlineData("async Task M(Stream s, byte[] b) { var n = s.Read(b, 0, b.Length); }", "Read", "ReadAsync", "System.IO")]
    [InlineData("async Task M(Stream s, byte[] b) { s.Write(b, 0, b.Length); }", "Write", "WriteAsync", "System.IO")]
    [InlineData("async Task M(Stream s) { s.Flush(); }", "Flush", "FlushAsync", "System.IO")]
    [InlineData("async Task M(Stream s, Stream d) { s.CopyTo(d); }", "CopyTo", "CopyToAsync", "System.IO")]
    [InlineData("async Task M(StreamReader r) { var t = r.ReadToEnd(); }", "ReadToEnd", "ReadToEndAsync", "System.IO")]
    [InlineData("async Task M(StreamReader r) { var l = r.ReadLine(); }", "ReadLine", "ReadLineAsync", "System.IO")]
    public async Task FrameworkIo_HasCounterpart(string member, string name, string expected, string library)
    {
        var c = await CounterpartAsync(member, name);
        Assert.Equal(expected, c.AsyncMember);
        Assert.Equal(library, c.Library);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task FileReadLinesInForEach_IsAsyncStream()
    {
        var c = await CounterpartAsync("async Task M() { foreach (var l in File.ReadLines(\"a\")) { } }", "ReadLines");
        Assert.Equal(CounterpartKind.AsyncStream, c.Kind);
        Assert.Equal("ReadLinesAsync", c.AsyncMember);
    }

    [Fact]
    public async Task FileReadLinesOutsideForEach_HasNoCounterpart()
        => await AssertNoCounterpartAsync("async Task M() { var lines = File.ReadLines(\"a\"); }", "ReadLines");

    [Fact]
    public async Task NetStandard20FileReadAllText_HasNoCounterpart()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;
            class C { async Task M() { var t = File.ReadAllText("a"); await Task.Yield(); } }
            """;
        var (model, invocation) = await FindAsync(source, "ReadAllText", TestReferences.NetStandard20);
        Assert.False(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task NetStandard20StreamRead_HasCounterpart()
    {
        const string source = """
            using System.IO;
            using System.Threading.Tasks;
            class C { async Task M(Stream s, byte[] b) { var n = s.Read(b, 0, 4); await Task.Yield(); } }
            """;
        var (model, invocation) = await FindAsync(source, "Read", TestReferences.NetStandard20);
        Assert.True(model.TryGetCounterpart(invocation, out var c));
        Assert.Equal("ReadAsync", c.AsyncMember);
    }

    [Fact]
    public async Task UserTypeWithAsyncTwin_HasCounterpart()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            namespace App;
            public class Repo { public int Load(int id) => id; public Task<int> LoadAsync(int id, CancellationToken ct = default) => Task.FromResult(id); }
            class C { async Task M(Repo r) { var x = r.Load(1); await Task.Yield(); } }
            """;
        var (model, invocation) = await FindAsync(source, "Load");
        Assert.True(model.TryGetCounterpart(invocation, out var c));
        Assert.Equal("LoadAsync", c.AsyncMember);
        Assert.Equal("Repo", c.Library);
        Assert.Equal(TokenPassing.Positional, c.Token);
    }

    [Fact]
    public async Task UserTypeWithAsyncTwinOnBaseType_HasCounterpart()
    {
        const string source = """
            using System.Threading.Tasks;
            public class Base { public Task SaveAsync() => Task.CompletedTask; }
            public class Derived : Base { public void Save() { } }
            class C { async Task M(Derived d) { d.Save(); await Task.Yield(); } }
            """;
        var (model, invocation) = await FindAsync(source, "Save");
        Assert.True(model.TryGetCounterpart(invocation, out var c));
        Assert.Equal("SaveAsync", c.AsyncMember);
    }

    [Theory]
    [InlineData("public void Send(string s) { } public void SendAsync(string s) { }")] // EAP: returns void
    [InlineData("public bool Send(string s) => true; public bool SendAsync(string s) => true;")] // Socket-style bool
    [InlineData("public void Send(string s) { } public Task SendAsync(int s) => Task.CompletedTask;")] // other parameters
    [InlineData("public void Send(string s) { } public Task SendAsync(string s, int required) => Task.CompletedTask;")] // extra required parameter
    [InlineData("public void Send(string s) { } [System.Obsolete] public Task SendAsync(string s) => Task.CompletedTask;")]
    [InlineData("public void Send(string s) { } private Task SendAsync(string s) => Task.CompletedTask;")] // inaccessible
    public async Task UserTypeWithoutTrueAsyncTwin_HasNoCounterpart(string members)
    {
        var source = "using System.Threading.Tasks; public class Client { " + members + " } class C { async Task M(Client c) { c.Send(\"x\"); await Task.Yield(); } }";
        var (model, invocation) = await FindAsync(source, "Send");
        Assert.False(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task EnclosingSyncTwin_HasNoCounterpart()
    {
        const string source = """
            using System.Threading.Tasks;
            public class Repo
            {
                public int Load() => 1;
                public async Task<int> LoadAsync() { await Task.Yield(); return Load(); }
            }
            """;
        var (model, invocation) = await FindAsync(source, "Load");
        Assert.False(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task SaveChangesInsideSaveChangesAsyncOverride_HasNoCounterpart()
        => await AssertNoCounterpartAsync("""
            sealed class Ctx : DbContext
            {
                public override async Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) { await Task.Yield(); return SaveChanges(); }
            }
            """, "SaveChanges", wrapInClass: false);

    [Fact]
    public async Task InsideExpressionTree_HasNoCounterpart()
        => await AssertNoCounterpartAsync("async Task M(BloggingContext db) { Expression<Func<int>> e = () => db.SaveChanges(); }", "SaveChanges");

    [Fact]
    public async Task InsideNameOf_HasNoCounterpart()
        => await AssertNoCounterpartAsync("async Task M(BloggingContext db) { var n = nameof(db.SaveChanges); db.Blogs.Load(); }", "Load", expectOther: true);

    [Fact]
    public async Task ForEachOverEfQuery_HasAwaitForEach()
    {
        var source = Prelude + "class C { async Task M(BloggingContext db) { foreach (var b in db.Blogs.Where(x => x.Id > 0)) { } } }";
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        AssertCompiles(compilation);
        var loop = FindOperations<IForEachLoopOperation>(compilation).Single();
        var model = BlockingCallModel.Create(compilation);
        Assert.True(model.TryGetForEachCounterpart(loop, out var c));
        Assert.Equal(CounterpartKind.ForEachAsAsyncEnumerable, c.Kind);
        Assert.Equal("foreach", c.BlockingMember);
        Assert.Equal("AsAsyncEnumerable", c.AsyncMember);
        Assert.Equal("Microsoft.EntityFrameworkCore", c.ImportNamespace);
        Assert.True(c.IsFixable);
    }

    [Fact]
    public async Task ForEachOverEfQueryInCSharp73_IsNotFixable()
    {
        var source = Prelude.Replace("= new();", "= new List<Post>();").Replace("= \"\";", "") + "class C { async Task M(BloggingContext db) { foreach (var b in db.Blogs) { } await Task.Yield(); } }";
        var compilation = await CompilationFactory.CreateAsync(new[] { source }, languageVersion: LanguageVersion.CSharp7_3);
        var loop = FindOperations<IForEachLoopOperation>(compilation).Single();
        var model = BlockingCallModel.Create(compilation);
        Assert.True(model.TryGetForEachCounterpart(loop, out var c));
        Assert.False(c.IsFixable);
        Assert.False(c.AwaitForEachAllowed);
    }

    [Fact]
    public async Task ForEachOverList_HasNoCounterpart()
    {
        var source = Prelude + "class C { async Task M(List<Blog> blogs) { foreach (var b in blogs.AsQueryable()) { } await Task.Yield(); } }";
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        AssertCompiles(compilation);
        var loop = FindOperations<IForEachLoopOperation>(compilation).Single();
        Assert.False(BlockingCallModel.Create(compilation).TryGetForEachCounterpart(loop, out _));
    }

    [Theory]
    [InlineData("M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges")]
    [InlineData("M:Microsoft.EntityFrameworkCore.DbContext.SaveChanges()")]
    [InlineData("Microsoft.EntityFrameworkCore.DbContext.SaveChanges")]
    [InlineData("T:Microsoft.EntityFrameworkCore.DbContext, M:Other.Thing")]
    public async Task ExcludedMethodsOption_Silences(string value)
    {
        var source = Prelude + "class C { async Task M(BloggingContext db) { db.SaveChanges(); await Task.Yield(); } }";
        var options = new TestOptions(new Dictionary<string, string> { ["ta0003.excluded_methods"] = value });
        var (model, invocation) = await FindAsync(source, "SaveChanges", options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options));
        Assert.False(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task ExcludedMethodsOption_GenericMethodByPlainName()
    {
        var source = Prelude + "class C { async Task M(IDbConnection c) { var r = c.Query<int>(\"x\"); await Task.Yield(); } }";
        var options = new TestOptions(new Dictionary<string, string> { ["trueasync.excluded_methods"] = "M:Dapper.SqlMapper.Query" });
        var (model, invocation) = await FindAsync(source, "Query", options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options));
        Assert.False(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task ExcludedMethodsOption_OtherMethodStillReported()
    {
        var source = Prelude + "class C { async Task M(BloggingContext db) { db.SaveChanges(); await Task.Yield(); } }";
        var options = new TestOptions(new Dictionary<string, string> { ["TA0003.excluded_methods"] = "M:Other.Type.SaveChanges" });
        var (model, invocation) = await FindAsync(source, "SaveChanges", options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options));
        Assert.True(model.TryGetCounterpart(invocation, out _));
    }

    [Fact]
    public async Task ResultOfDerivedTypeInVar_IsFixableAndAsyncDisposable()
    {
        // var r takes DbDataReader's type, which has every member IDataReader has.
        var c = await CounterpartAsync("async Task M(IDbConnection conn) { IDbCommand cmd = new SqliteCommand(); var r = cmd.ExecuteReader(); }", "ExecuteReader");
        Assert.True(c.IsFixable);
        Assert.True(c.ResultIsAsyncDisposable);
    }

    [Fact]
    public async Task ResultOfDerivedTypeInVarAssignedAgain_IsNotFixable()
    {
        var c = await CounterpartAsync("async Task M(IDbConnection conn, IDataReader other) { IDbCommand cmd = new SqliteCommand(); var r = cmd.ExecuteReader(); r = other; }", "ExecuteReader");
        Assert.False(c.IsFixable);
    }

    [Fact]
    public async Task ResultOfDerivedTypeInVarPassedByRef_IsNotFixable()
    {
        var c = await CounterpartAsync("async Task M(IDbCommand cmd) { var r = cmd.ExecuteReader(); Swap(ref r); } static void Swap(ref IDataReader r) { }", "ExecuteReader");
        Assert.False(c.IsFixable);
    }

    [Fact]
    public async Task ConditionalAccess_IsNotFixable()
    {
        var c = await CounterpartAsync("async Task M(BloggingContext? db) { var n = db?.SaveChanges(); }", "SaveChanges");
        Assert.False(c.IsFixable);
    }

    [Fact]
    public async Task Properties_RoundTrip()
    {
        var c = await CounterpartAsync("async Task M(SqliteConnection conn) { using var tx = conn.BeginTransaction(); }", "BeginTransaction");
        var back = AsyncCounterpart.FromProperties(c.ToProperties());
        Assert.NotNull(back);
        Assert.Equal(c.ToString(), back!.ToString());
        Assert.Equal(c.ResultCast, back.ResultCast);
        Assert.Equal(c.ResultIsAsyncDisposable, back.ResultIsAsyncDisposable);
        Assert.Equal(c.TokenParameterName, back.TokenParameterName);
        Assert.Null(AsyncCounterpart.FromProperties(ImmutableDictionary<string, string?>.Empty));
    }

    [Fact]
    public async Task OwnMethodSummaries_MakeOwnMethodBlocking()
    {
        const string source = """
            using System.Threading.Tasks;
            public class Repo { public int LoadAll() => 1; }
            class C { Task<int> M(Repo r) => Task.Run(() => r.LoadAll()); }
            """;
        var (model, invocation) = await FindAsync(source, "LoadAll");
        Assert.False(model.IsBlocking(invocation, out _));
        model.OwnMethodSummaries = new AllBlocking();
        Assert.True(model.IsBlocking(invocation, out var counterpart));
        Assert.Null(counterpart);
    }

    private static async Task<AsyncCounterpart> CounterpartAsync(string member, string methodName, bool last = false)
    {
        var (model, invocation) = await FindAsync(Prelude + "class C { " + member + " }", methodName, last: last);
        Assert.True(model.TryGetCounterpart(invocation, out var counterpart), "no counterpart for " + methodName);
        return counterpart;
    }

    private static async Task AssertNoCounterpartAsync(string member, string methodName, bool last = false, bool wrapInClass = true, bool expectOther = false)
    {
        var source = Prelude + (wrapInClass ? "class C { " + member + " }" : member);
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        AssertCompiles(compilation);
        var model = BlockingCallModel.Create(compilation);
        var invocations = FindOperations<IInvocationOperation>(compilation).Where(i => i.TargetMethod.Name == methodName).ToList();
        Assert.NotEmpty(invocations);
        foreach (var invocation in invocations)
        {
            var found = model.TryGetCounterpart(invocation, out var counterpart);
            Assert.True(found == expectOther, methodName + ": " + counterpart);
        }
    }

    private static async Task<(BlockingCallModel Model, IInvocationOperation Invocation)> FindAsync(
        string source, string methodName, ReferenceAssemblies? references = null, AnalyzerOptions? options = null, bool last = false)
    {
        var compilation = await CompilationFactory.CreateAsync(new[] { source }, references);
        AssertCompiles(compilation);
        var invocations = FindOperations<IInvocationOperation>(compilation).Where(i => i.TargetMethod.Name == methodName).ToList();
        Assert.NotEmpty(invocations);
        return (BlockingCallModel.Create(compilation, options), last ? invocations[invocations.Count - 1] : invocations[0]);
    }

    private static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
    }

    private static IEnumerable<T> FindOperations<T>(Compilation compilation)
        where T : class, IOperation
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var semanticModel = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is InvocationExpressionSyntax or ForEachStatementSyntax && semanticModel.GetOperation(node) is T operation)
                {
                    yield return operation;
                }
            }
        }
    }

    private sealed class AllBlocking : IOwnMethodSummaries
    {
        public bool IsBlocking(IMethodSymbol method) => true;
    }

    private sealed class TestOptions : AnalyzerConfigOptionsProvider
    {
        private readonly Options options;

        public TestOptions(Dictionary<string, string> values) => options = new Options(values);

        public override AnalyzerConfigOptions GlobalOptions => options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly Dictionary<string, string> values;

            public Options(Dictionary<string, string> values)
                => this.values = new Dictionary<string, string>(values, KeyComparer);

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }
}
