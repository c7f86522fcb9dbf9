using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace TrueAsync.Tests.Robustness;

/// <summary>The suite's own parts do what the robustness tests rely on: a checker that cannot fail proves nothing.</summary>
public sealed class RobustnessSelfTests
{
    [Fact]
    public void StripMarkup_RemovesEveryKindOfMarkup()
    {
        const string marked = "class C { void M() { [|A()|]; {|TA0003:B()|}; {|#0:C()|}; {|CS0103:D|}; } }";

        Assert.Equal("class C { void M() { A(); B(); C(); D; } }", TestInputHarvester.StripMarkup(marked));
    }

    [Fact]
    public void Harvest_FoldsPreludesInterpolationsAndDropsMessages()
    {
        var directory = Directory.CreateTempSubdirectory("robustness-harvest");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "SampleTests.cs"), """"
                public sealed class SampleTests
                {
                    private const string Prelude = """
                        using System.Threading.Tasks;
                        """;

                    public async Task Concatenated_Reports()
                    {
                        var source = Prelude + """

                            class C { async Task M(Task<int> t) => _ = [|t.Result|]; }
                            """;
                        await Verify.VerifyAnalyzerAsync(source);
                    }

                    public async Task Interpolated_Reports()
                    {
                        await Verify.VerifyAnalyzerAsync($$"""
                            {{Prelude}}
                            class D { void M(Task t) => {|TA0002:t.Wait()|}; }
                            """);
                        Assert.Equal("Use 'await' instead of 'Wait'; it frees the thread", message);
                    }
                }
                """");

            var result = TestInputHarvester.Harvest(directory.FullName);

            var texts = result.Inputs.Select(i => i.Documents.Single().Text).ToArray();
            Assert.Contains("using System.Threading.Tasks;\nclass C { async Task M(Task<int> t) => _ = t.Result; }", texts.Select(t => t.Replace("\r\n", "\n")));
            Assert.Contains("using System.Threading.Tasks;\nclass D { void M(Task t) => t.Wait(); }", texts.Select(t => t.Replace("\r\n", "\n")));
            Assert.DoesNotContain(texts, t => t.Contains("frees the thread", StringComparison.Ordinal));
            Assert.All(result.Inputs, i => Assert.Equal(InputOrigin.RuleTest, i.Origin));
            Assert.True(result.Files.Single().CallsAVerifier);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task LoadSamples_CompilesAProjectWithTheSampleProjectsItReferences()
    {
        var directory = Directory.CreateTempSubdirectory("robustness-samples");
        try
        {
            var app = Path.Combine(directory.FullName, "Shop", "Shop.Web");
            var data = Path.Combine(directory.FullName, "Shop", "Shop.Data");
            Directory.CreateDirectory(app);
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "Shop.Data.csproj"), """<Project Sdk="Microsoft.NET.Sdk" />""");
            File.WriteAllText(Path.Combine(data, "Repository.cs"), "namespace Shop.Data; public sealed class Repository { public int Count() => 1; }");
            File.WriteAllText(Path.Combine(app, "Shop.Web.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <ItemGroup>
                    <ProjectReference Include="../Shop.Data/Shop.Data.csproj" />
                    <ProjectReference Include="../../../src/Analyzers/Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Service.cs"), "namespace Shop.Web; public sealed class Service { public int Total(Shop.Data.Repository r) => r.Count(); }");

            var samples = RobustnessCorpus.LoadSamples(directory.FullName);

            Assert.Equal(new[] { "samples/Shop/Shop.Data", "samples/Shop/Shop.Web" }, samples.Select(s => s.Name));
            var web = samples[1];
            Assert.Equal("samples/Shop/Shop.Data", Assert.Single(web.References).Name);
            Assert.Equal("Service.cs", Assert.Single(web.Documents).Path);
            Assert.Empty(samples[0].References);

            // The referenced project is a project of its own: the type resolves, and its files are not the input's.
            using var project = await InputProject.CreateAsync(web, RobustnessConfiguration.Default, CancellationToken.None);
            var diagnostics = await InputProject.DiagnoseAsync(project.Project, RulesUnderTest.Shipped(), withErrors: true, CancellationToken.None);
            Assert.Empty(diagnostics.Errors);
            Assert.Equal(new[] { "Service.cs" }, project.Project.Documents.Select(d => d.Name));
            Assert.Single(project.Project.ProjectReferences);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Mutations_AreDeterministicAndChangeTheSource()
    {
        const string source = "using System.Linq; class C { int M(int[] xs) { return xs.Where(x => x > 0).ToList().Count; } }";
        var hotSpot = ImmutableArray.Create(new TextSpan(source.IndexOf("xs.Where", StringComparison.Ordinal), 20));

        var first = SourceMutator.Mutate(source, seed: 7, count: 40, hotSpot);
        var second = SourceMutator.Mutate(source, seed: 7, count: 40, hotSpot);
        var other = SourceMutator.Mutate(source, seed: 8, count: 40, hotSpot);

        Assert.Equal(first.Select(m => m.Text), second.Select(m => m.Text));
        Assert.NotEqual(first.Select(m => m.Text), other.Select(m => m.Text));
        Assert.True(first.Count >= 30, $"only {first.Count} distinct mutations");
        Assert.All(first, m => Assert.NotEqual(source, m.Text));
        Assert.Equal(Enum.GetValues<MutationKind>().Length, first.Select(m => m.Kind).Distinct().Count());
    }

    [Fact]
    public void CutOffs_SpreadOverTheWholeFile()
    {
        var source = new string('x', 1000);

        var cuts = SourceMutator.CutOffs(source, seed: 1, count: 10);

        Assert.Equal(10, cuts.Count);
        Assert.All(cuts.Select((c, i) => (c, i)), p => Assert.InRange(p.c.Position, p.i * 100, p.i * 100 + 99));
    }

    [Fact]
    public void MapBack_MapsUnchangedTextExactlyAndNewTextToWhatItReplaced()
    {
        // "a.ToList()" became "await a.ToListAsync()": "await " inserted at 0, "Async" inserted at 8.
        var changes = new[] { new TextChange(new TextSpan(0, 0), "await "), new TextChange(new TextSpan(8, 0), "Async") };

        Assert.Equal(new TextSpan(0, 10), FixDriver.MapBack(new TextSpan(6, 15), changes));
        Assert.Equal(new TextSpan(2, 6), FixDriver.MapBack(new TextSpan(8, 6), changes));
        Assert.Equal(new TextSpan(0, 0), FixDriver.MapBack(new TextSpan(0, 6), changes));
        Assert.Equal(new TextSpan(20, 3), FixDriver.MapBack(new TextSpan(31, 3), changes));
    }

    [Fact]
    public async Task NewErrors_CountsOnlyErrorsTheInputDidNotHave()
    {
        var before = await ErrorsAsync("class C { void M() { Missing(); } }");
        var after = await ErrorsAsync("class C { void M() { Missing(); } void N() { Missing(); await System.Threading.Tasks.Task.Yield(); } }");

        var added = FixDriver.NewErrors(before, after);

        Assert.Single(before);
        Assert.Equal(new[] { "CS0103", "CS4033" }, added.Select(e => e.Id).OrderBy(x => x, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Task.Run(() => db.Load())", "db.Load()", true)]
    [InlineData("Task.Run(() => { var x = Wrap(db.Load()); return x; })", "db.Load()", true)]
    [InlineData("Task.Run(() => db.Load()).Result", "Task.Run(() => db.Load())", true)]
    [InlineData("t.GetAwaiter().GetResult()", "t.GetAwaiter()", true)]
    [InlineData("Wrap(db.Load())", "db.Load()", false)]
    [InlineData("Wrap(Select(() => db.Load()))", "db.Load()", false)]
    public void CallSites_OwnTheirReceiversAndDelegateArguments(string outerText, string innerText, bool expected)
    {
        var source = $"class C {{ object M() => {outerText}; }}";
        var tree = CSharpSyntaxTree.ParseText(source);
        var expressions = tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>().ToArray();
        var outer = expressions.First(e => e.ToString() == outerText);
        var inner = expressions.First(e => e.ToString() == innerText && e != outer);

        Assert.Equal(expected, CallSites.IsPartOf(inner, outer));
        Assert.False(CallSites.IsPartOf(outer, inner));
    }

    [Fact]
    public void CallSites_AReportedNameStandsForTheWholeCall()
    {
        const string source = "class C { void M(D db) { db.Users.ToList(); } }";
        var tree = CSharpSyntaxTree.ParseText(source);
        var name = new TextSpan(source.IndexOf("ToList", StringComparison.Ordinal), "ToList".Length);
        var call = new TextSpan(source.IndexOf("db.Users", StringComparison.Ordinal), "db.Users.ToList()".Length);
        var onName = Diagnostic.Create(TestDoubles.Descriptor, Location.Create(tree, name));
        var onCall = Diagnostic.Create(TestDoubles.Descriptor, Location.Create(tree, call));

        Assert.Equal("db.Users.ToList()", CallSites.Of(onName)!.ToString());
        Assert.Single(CallSites.Collisions(new[] { onName, onCall }));
    }

    [Fact]
    public void CallSites_SeparateStatementsDoNotCollide()
    {
        const string source = "class C { void M(D db) { db.Load(); db.Save(); } }";
        var tree = CSharpSyntaxTree.ParseText(source);
        var load = Diagnostic.Create(TestDoubles.Descriptor, Location.Create(tree, new TextSpan(source.IndexOf("db.Load", StringComparison.Ordinal), 9)));
        var save = Diagnostic.Create(TestDoubles.Descriptor, Location.Create(tree, new TextSpan(source.IndexOf("db.Save", StringComparison.Ordinal), 9)));

        Assert.Empty(CallSites.Collisions(new[] { load, save }));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(21)]
    public async Task GeneratedProject_CompilesWithoutErrors(int files)
    {
        var project = RealisticProjectGenerator.Generate(files, seed: 3);

        Assert.Equal(files, project.Documents.Length);
        Assert.Equal(project.Documents.Select(d => d.Text), RealisticProjectGenerator.Generate(files, seed: 3).Documents.Select(d => d.Text));
        foreach (var version in new[] { LanguageVersion.CSharp8, LanguageVersion.Latest })
        {
            var compilation = await Infrastructure.CompilationFactory.CreateAsync(project.Documents.Select(d => d.Text), languageVersion: version);
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
            Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Take(10).Select(e => e.ToString())));
        }
    }

    [Fact]
    public async Task Engine_CountsAnAnalyzerCrashAndABrokenFix()
    {
        var doubles = TestDoubles.Create();
        var rules = new RulesUnderTest(doubles.Analyzers, doubles.Fixers);
        var report = new RobustnessReport();
        var engine = new RobustnessEngine(rules, report);

        await engine.CheckFixesAsync(RobustnessInput.SingleFile("self-test", InputOrigin.RuleTest, "class C { int M() { return 1; } void N() { throw null; } }"), RobustnessConfiguration.Default);

        Assert.Equal(1, report.Diagnostics);
        Assert.Equal(1, report.FixesApplied);
        Assert.True(report.Count(FailureKind.Crash) >= 1, report.ToString());
        Assert.True(report.Count(FailureKind.CompileFailure) >= 1, report.ToString());
        Assert.True(report.Count(FailureKind.StillReported) >= 1, report.ToString());
    }

    private static async Task<ImmutableArray<Diagnostic>> ErrorsAsync(string source)
        => (await Infrastructure.CompilationFactory.CreateAsync(new[] { source })).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToImmutableArray();
}
