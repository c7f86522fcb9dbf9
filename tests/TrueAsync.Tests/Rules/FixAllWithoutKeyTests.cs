using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers.Rules;
using TrueAsync.CodeFixes.Rules;
using TrueAsync.Tests.Infrastructure;
using TrueAsync.Tests.Robustness;
using Xunit;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// Fix All the way <c>dotnet format</c> runs it: the equivalence key is that of the first action registered for the
/// first diagnostic of the ID in the solution, null when that diagnostic has no fix. The other diagnostics must still
/// be fixed.
/// </summary>
public sealed class FixAllWithoutKeyTests
{
    private const string Source = """
        using System.Data;
        using System.Threading.Tasks;

        public sealed class Repository
        {
            private readonly IDbConnection _connection;
            public Repository(IDbConnection connection) => _connection = connection;

            // First in the file, and without a fix: a type parameter cannot be cast to DbConnection.
            public async Task OpenGenericAsync<TConnection>(TConnection connection) where TConnection : IDbConnection
            {
                connection.Open();
                await Task.Yield();
            }

            public async Task OpenAsync()
            {
                _connection.Open();
                await Task.Yield();
            }
        }
        """;

    [Fact]
    public async Task BlockingCallFixer_FixAllWithNullKey_FixesTheFixableSites()
    {
        var text = await FixAllLikeDotnetFormatAsync(Source, new BlockingCallAnalyzer(), new BlockingCallFixer(), "TA0003");
        Assert.Contains("await ((DbConnection)_connection).OpenAsync();", text);
        Assert.Contains("using System.Data.Common;", text);
        Assert.Contains("        connection.Open();", text);
    }

    // The first TA0002 is in async code (SyncOverAsyncFixer's): the make-async fixer registers nothing for it.
    [Fact]
    public async Task MakeMethodAsyncFixer_FixAllWithNullKey_ConvertsTheSynchronousMethod()
    {
        const string source = """
            using System.Threading.Tasks;

            internal sealed class Job
            {
                public async Task<int> FirstAsync(Task<int> work) => work.Result;

                public async Task<int> RunAsync(Task<int> work) => Value(work) + 1;

                private int Value(Task<int> work) => work.Result;
            }
            """;
        var text = await FixAllLikeDotnetFormatAsync(source, new SyncOverAsyncAnalyzer(), new MakeMethodAsyncFixer(), "TA0002");
        Assert.Contains("public async Task<int> RunAsync(Task<int> work) => await ValueAsync(work) + 1;", text);
        Assert.Contains("private async Task<int> ValueAsync(Task<int> work) => await work;", text);
        Assert.Contains("public async Task<int> FirstAsync(Task<int> work) => work.Result;", text);
    }

    // The first TA0003 has a counterpart (BlockingCallFixer's): the twin fixer registers nothing for it, and Fix All with
    // the null key still creates the twin the second one needs.
    [Fact]
    public async Task AsyncTwinFixer_FixAllWithNullKey_CreatesTheTwin()
    {
        const string source = """
            using System.Data.Common;
            using System.Threading.Tasks;

            public sealed class Repository
            {
                private readonly DbConnection _connection;
                public Repository(DbConnection connection) => _connection = connection;

                public async Task OpenAsync()
                {
                    _connection.Open();
                    await Task.Yield();
                }

                public int Count()
                {
                    using var command = _connection.CreateCommand();
                    command.CommandText = "select count(*) from items";
                    return (int)command.ExecuteScalar()!;
                }

                public async Task<int> CountTwiceAsync()
                {
                    await Task.Yield();
                    return Count() * 2;
                }
            }
            """;
        var text = await FixAllLikeDotnetFormatAsync(source, new BlockingCallAnalyzer(), new AsyncTwinFixer(), "TA0003");
        Assert.Contains("return await CountAsync() * 2;", text);
        Assert.Contains("public async Task<int> CountAsync(CancellationToken cancellationToken = default)", text);
        Assert.Contains("return (int)(await command.ExecuteScalarAsync(cancellationToken))!;", text);
        Assert.Contains("using System.Threading;", text);
        Assert.Contains("        _connection.Open();", text);
    }

    // Nothing convertible (the only caller is a synchronous lambda): Fix All must change nothing at all, or dotnet format
    // takes the unchanged text for a change and skips SyncOverAsyncFixer's Fix All in that round.
    [Fact]
    public async Task MakeMethodAsyncFixer_FixAllWithNothingToConvert_LeavesTheSolutionAsItIs()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;

            internal sealed class Job
            {
                public Func<int> Run(Task<int> work) => () => Value(work) + 1;

                private int Value(Task<int> work) => work.Result;
            }
            """;
        using var workspace = new AdhocWorkspace();
        var document = await CreateDocumentAsync(workspace, source);
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = await CompilationFactory.RunAnalyzersAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new SyncOverAsyncAnalyzer()));
        Assert.Single(diagnostics);

        var fixer = new MakeMethodAsyncFixer();
        var provider = fixer.GetFixAllProvider()!;
        var action = await provider.GetFixAsync(new FixAllContext(document, fixer, FixAllScope.Solution, null, new[] { "TA0002" }, new Provider(diagnostics), CancellationToken.None));
        Assert.NotNull(action);
        var operations = await action!.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<Microsoft.CodeAnalysis.CodeActions.ApplyChangesOperation>().Single().ChangedSolution;
        Assert.Empty(changed.GetChanges(document.Project.Solution).GetProjectChanges());
    }

    // One function with a call that has a counterpart (FakeAsyncMethodFixer's) and a call of an own method without a twin
    // (AsyncTwinFixer's). dotnet format runs both fixers of TA0004 in one round, the second on the solution the first
    // changed but with the diagnostics computed before: whichever runs first, the result compiles, and the function is
    // rewritten by one of them only.
    private const string MixedFakeAsync = """
        using System.Collections.Generic;
        using System.Data.Common;
        using System.Threading.Tasks;

        public sealed class Repository
        {
            private readonly DbConnection _connection;
            public Repository(DbConnection connection) => _connection = connection;

            public List<string> Names()
            {
                using var command = _connection.CreateCommand();
                command.CommandText = "select name from items";
                using var reader = command.ExecuteReader();
                var names = new List<string>();
                while (reader.Read())
                {
                    names.Add(reader.GetString(0));
                }

                return names;
            }

            public Task<int> CountAsync()
            {
                _connection.Open();
                return Task.FromResult(Names().Count);
            }
        }
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FakeAsyncAndTwinFixers_OneDotnetFormatRound_CompilesWhicheverRunsFirst(bool ruleFixerFirst)
    {
        using var workspace = new AdhocWorkspace();
        var document = await CreateDocumentAsync(workspace, MixedFakeAsync);
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = (await CompilationFactory.RunAnalyzersAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new FakeAsyncMethodAnalyzer())))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        Assert.Equal(2, diagnostics.Length);

        CodeFixProvider[] fixers = ruleFixerFirst
            ? new CodeFixProvider[] { new FakeAsyncMethodFixer(), new AsyncTwinFixer() }
            : new CodeFixProvider[] { new AsyncTwinFixer(), new FakeAsyncMethodFixer() };
        var solution = document.Project.Solution;
        var changes = 0;
        foreach (var fixer in fixers)
        {
            var current = solution.GetDocument(document.Id)!;
            var fixedSolution = await FixDriver.FixAllAsync(fixer, FixAllScope.Solution, current, "TA0004", equivalenceKey: null, new Provider(diagnostics), CancellationToken.None);
            if (fixedSolution is not null)
            {
                solution = fixedSolution;
                changes++;
            }
        }

        Assert.Equal(1, changes);
        var text = (await solution.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Contains("public async Task<int> CountAsync()", text);
        Assert.Contains("await _connection.OpenAsync();", text);
        Assert.Equal(ruleFixerFirst, text.Contains("return Names().Count;"));
        Assert.Equal(!ruleFixerFirst, text.Contains("return (await NamesAsync()).Count;"));
        var errors = (await solution.GetDocument(document.Id)!.Project.GetCompilationAsync())!.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error);
        Assert.Empty(errors);
    }

    /// <summary>
    /// Two diagnostics of <paramref name="id"/>, the first without an action of <paramref name="fixer"/>; Fix All in the
    /// solution with the key dotnet format then passes (null). Returns the fixed text.
    /// </summary>
    private static async Task<string> FixAllLikeDotnetFormatAsync(string source, DiagnosticAnalyzer analyzer, CodeFixProvider fixer, string id)
    {
        using var workspace = new AdhocWorkspace();
        var document = await CreateDocumentAsync(workspace, source);
        var compilation = (await document.Project.GetCompilationAsync())!;
        var diagnostics = (await CompilationFactory.RunAnalyzersAsync(compilation, ImmutableArray.Create(analyzer)))
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(id, d.Id));
        Assert.Empty(await FixDriver.RegisterAsync(fixer, document, diagnostics[0], CancellationToken.None));

        var fixedSolution = await FixDriver.FixAllAsync(
            fixer, FixAllScope.Solution, document, id, equivalenceKey: null, new Provider(diagnostics), CancellationToken.None);

        Assert.NotNull(fixedSolution);
        return (await fixedSolution!.GetDocument(document.Id)!.GetTextAsync()).ToString();
    }

    private static async Task<Document> CreateDocumentAsync(AdhocWorkspace workspace, string source)
    {
        await TestReferences.EnsureResolvedAsync();
        var metadata = await TestReferences.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "Input",
            "Input",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: metadata));
        return workspace.AddDocument(project.Id, "Input.cs", SourceText.From(source));
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
