using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Meta;

/// <summary>The real libraries the tests rely on resolve and compile: a guard against a silently empty reference set.</summary>
public sealed class ReferenceAssembliesTests
{
    [Fact]
    public async Task EveryReferenceSet_ResolvesEveryPackageOfTheList()
    {
        // Throws, naming the package, when a set lacks an assembly of a listed package.
        await TestReferences.EnsureResolvedAsync();

        Assert.Contains(TestReferences.DataLibraries, p => p.Id == "Npgsql");
        Assert.Equal(TestReferences.DataLibraries, TestReferences.Net80WithDataLibraries.Packages);
        Assert.Contains(TestReferences.OtherLibraries, p => p.Id == "MongoDB.Driver");
        Assert.Equal(TestReferences.OtherLibraries, TestReferences.Net80WithOtherLibraries.Packages);
        Assert.Empty(TestReferences.DataLibraries.Intersect(TestReferences.OtherLibraries));
        Assert.Contains(TestReferences.AspNetCore, p => p.Id == "Microsoft.AspNetCore.App.Ref");
        Assert.Equal(TestReferences.AspNetCore, TestReferences.Net80WithAspNetCore.Packages);
        foreach (var set in TestReferences.All)
        {
            var references = await set.ResolveAsync(LanguageNames.CSharp, default);
            Assert.Contains(references, r => System.IO.Path.GetFileName(r.Display) is "System.Runtime.dll" or "netstandard.dll");
        }
    }

    [Fact]
    public async Task DataLibraries_CompileAgainstRealReferenceAssemblies()
    {
        const string source = """
            using System.Data.Common;
            using System.Linq;
            using System.Threading.Tasks;
            using Dapper;
            using Microsoft.Data.Sqlite;
            using Microsoft.EntityFrameworkCore;
            using Npgsql;
            using StackExchange.Redis;

            public sealed class Blog { public int Id { get; set; } }
            public sealed class BloggingContext : DbContext { public DbSet<Blog> Blogs => Set<Blog>(); }

            public static class Uses
            {
                public static async Task<int> AllAsync(BloggingContext db, SqliteConnection sqlite, NpgsqlConnection pg, IDatabase redis)
                {
                    var blogs = await db.Blogs.Where(b => b.Id > 0).ToListAsync();
                    var ids = await sqlite.QueryAsync<int>("select 1");
                    await using NpgsqlCommand command = pg.CreateCommand();
                    DbCommand common = command;
                    var value = await redis.StringGetAsync("key");
                    return blogs.Count + ids.Count() + (value.HasValue ? 1 : 0);
                }
            }
            """;

        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.Empty(errors);
        Assert.Contains(compilation.ReferencedAssemblyNames, a => a.Name == "Microsoft.EntityFrameworkCore");
    }
}
