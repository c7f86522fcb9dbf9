using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TrueAsync.Tests.Infrastructure;
using Xunit;

namespace TrueAsync.Tests.Meta;

/// <summary>Every analyzer survives empty and broken source: no AD0001, whatever the user has typed so far.</summary>
public sealed class BrokenSourceTests
{
    public static IEnumerable<object[]> BrokenSources() => new[]
    {
        new object[] { "Empty", "" },
        new object[] { "OnlyUsings", "using System.Threading.Tasks;" },
        new object[] { "UnclosedClass", "class C { void M() { var t = System.Threading.Tasks.Task.Run(() => 1); t." },
        new object[] { "MissingMember", "using System.Threading.Tasks; class C { async Task M() { var x = Missing.Result; Task.Run(() => Nope()).Wait(); } }" },
        new object[] { "HalfTypedAwait", "using System.Threading.Tasks; class C { async Task<int> M(Task<int> t) { return await ; t.Result } }" },
        new object[] { "HalfTypedLambda", "using System.Threading.Tasks; class C { Task M() => Task.Run(() => ); }" },
        new object[] { "WrongArity", "using System.Threading.Tasks; class C { void M(Task t) { t.Wait(1, 2, 3, 4); Task.WaitAll(; t.GetAwaiter().GetResult(5); } }" },
        new object[] { "TopLevelBroken", "using System.Threading.Tasks; var t = Task.Run(() => 1); Console.WriteLine(t.Result" },
        new object[] { "EfHalfTyped", "using Microsoft.EntityFrameworkCore; using System.Threading.Tasks; class Db : DbContext { public DbSet<E> Es => Set<E>(); } class E { public int Id { get; set; } } class C { async Task M(Db db) { var l = db.Es.Where(e => e.).ToList(; db.SaveChanges( } }" },
        new object[] { "UnbalancedBraces", "}}} class C { { void M() { System.Threading.Thread.Sleep(1); } } } {{{" },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public async Task AllAnalyzers_SurviveBrokenSource(string situation, string source)
    {
        var compilation = await CompilationFactory.CreateAsync(new[] { source });
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(compilation, AnalyzerCatalog.CreateAnalyzers());

        var crashes = diagnostics.Where(d => d.Id == "AD0001").ToArray();
        Assert.True(crashes.Length == 0, situation + ": " + string.Join(Environment.NewLine, crashes.Select(c => c.ToString())));
    }
}
