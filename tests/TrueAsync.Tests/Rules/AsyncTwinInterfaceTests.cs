using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers.Rules;
using TrueAsync.CodeFixes.Rules;
using TrueAsync.Tests.Infrastructure;
using TrueAsync.Tests.Robustness;
using Xunit;

namespace TrueAsync.Tests.Rules;

/// <summary>
/// The async twin of an interface member, across projects: a class library with the repository interface, a Dapper
/// implementation, a decorator and an in-memory one, and an application whose async service calls the repository through the
/// interface. The diagnostic on such a call is given as TA0003 reports it for own methods (its own-method summaries
/// decide whether an interface call blocks; the fixer needs only the call's location).
/// </summary>
public sealed class AsyncTwinInterfaceTests
{
    private const string Unpublished = "is_global = true\nbuild_property.IsPackable = false\n";

    private const string Repositories = """
        using System.Collections.Generic;
        using System.Data;
        using System.Linq;
        using Dapper;

        namespace Inventory.Data;

        public sealed class Equipment
        {
            public int Id { get; set; }
        }

        public interface IEquipmentRepository
        {
            IEnumerable<Equipment> GetAll();

            int Count();
        }

        public sealed class EquipmentRepository : IEquipmentRepository
        {
            private readonly IDbConnection _conn;

            public EquipmentRepository(IDbConnection conn) => _conn = conn;

            public IEnumerable<Equipment> GetAll() => _conn.Query<Equipment>("select * from equipment");

            public int Count() => _conn.ExecuteScalar<int>("select count(*) from equipment");
        }

        public sealed class LoggingEquipmentRepository : IEquipmentRepository
        {
            private readonly IEquipmentRepository _inner;

            public LoggingEquipmentRepository(IEquipmentRepository inner) => _inner = inner;

            public IEnumerable<Equipment> GetAll() => _inner.GetAll();

            public int Count() => _inner.Count();
        }

        public sealed class InMemoryEquipmentRepository : IEquipmentRepository
        {
            private readonly List<Equipment> _items = new();

            IEnumerable<Equipment> IEquipmentRepository.GetAll() => _items.ToList();

            public int Count() => _items.Count;
        }
        """;

    private const string Service = """
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Inventory.Data;

        namespace Inventory.Web;

        public sealed class EquipmentService
        {
            private readonly IEquipmentRepository _repository;

            public EquipmentService(IEquipmentRepository repository) => _repository = repository;

            public async Task<int> CountAsync(CancellationToken ct)
            {
                await Task.Yield();
                return _repository.GetAll().Count();
            }

            public async Task<int> MaxIdAsync()
            {
                await Task.Yield();
                return _repository.GetAll().Max(e => e.Id);
            }
        }
        """;

    [Fact]
    public async Task InterfaceMember_TwinGoesOnTheInterfaceAndEveryImplementation()
    {
        using var workspace = new AdhocWorkspace();
        var (library, service) = await CreateSolutionAsync(workspace, unpublished: true);
        var diagnostic = (await CallDiagnosticsAsync(service)).First();
        var actions = await FixDriver.RegisterAsync(new AsyncTwinFixer(), service, diagnostic, CancellationToken.None);
        var action = Assert.Single(actions);
        Assert.Equal("Create 'GetAllAsync' on 'IEquipmentRepository' and its implementations, and await it", action.Title);

        var solution = await FixDriver.ApplyAsync(action, service.Project.Solution, CancellationToken.None);
        Assert.NotNull(solution);
        var repositories = await TextAsync(solution!, library);
        Assert.Contains("    Task<IEnumerable<Equipment>> GetAllAsync();", repositories);
        Assert.Contains("    public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync<Equipment>(\"select * from equipment\");", repositories);
        Assert.Contains("    public async Task<IEnumerable<Equipment>> GetAllAsync() => await _inner.GetAllAsync();", repositories);
        Assert.Contains("    Task<IEnumerable<Equipment>> IEquipmentRepository.GetAllAsync() => Task.FromResult<IEnumerable<Equipment>>(_items.ToList());", repositories);
        Assert.Contains("using System.Threading.Tasks;", repositories);
        Assert.DoesNotContain("CountAsync", repositories);

        var services = await TextAsync(solution!, service.Id);
        Assert.Contains("return (await _repository.GetAllAsync()).Count();", services);
        Assert.Contains("return _repository.GetAll().Max(e => e.Id);", services);
        await AssertCompilesAsync(solution!);
    }

    [Fact]
    public async Task InterfaceMember_FixAllInSolutionWritesEachTwinOnce()
    {
        using var workspace = new AdhocWorkspace();
        var (library, service) = await CreateSolutionAsync(workspace, unpublished: true);
        var diagnostics = await CallDiagnosticsAsync(service);
        Assert.Equal(2, diagnostics.Length);

        var solution = await FixDriver.FixAllAsync(
            new AsyncTwinFixer(), FixAllScope.Solution, service, "TA0003", equivalenceKey: null, new Provider(diagnostics), CancellationToken.None);
        Assert.NotNull(solution);
        var repositories = await TextAsync(solution!, library);
        Assert.Single(Occurrences(repositories, "Task<IEnumerable<Equipment>> GetAllAsync();"));
        Assert.Single(Occurrences(repositories, "public async Task<IEnumerable<Equipment>> GetAllAsync() => await _conn.QueryAsync"));
        Assert.Single(Occurrences(repositories, "public async Task<IEnumerable<Equipment>> GetAllAsync() => await _inner.GetAllAsync();"));
        Assert.Single(Occurrences(repositories, "IEquipmentRepository.GetAllAsync()"));

        var services = await TextAsync(solution!, service.Id);
        Assert.Contains("return (await _repository.GetAllAsync()).Count();", services);
        Assert.Contains("return (await _repository.GetAllAsync()).Max(e => e.Id);", services);
        await AssertCompilesAsync(solution!);
    }

    // A public interface of a library that may be published: implementations outside the solution would break.
    [Fact]
    public async Task InterfaceOfAPublishedLibrary_NotOffered()
    {
        using var workspace = new AdhocWorkspace();
        var (_, service) = await CreateSolutionAsync(workspace, unpublished: false);
        var diagnostic = (await CallDiagnosticsAsync(service)).First();
        Assert.Empty(await FixDriver.RegisterAsync(new AsyncTwinFixer(), service, diagnostic, CancellationToken.None));
    }

    private static IEnumerable<int> Occurrences(string text, string value)
    {
        for (var index = text.IndexOf(value, System.StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, System.StringComparison.Ordinal))
        {
            yield return index;
        }
    }

    private static async Task<string> TextAsync(Solution solution, DocumentId id) => (await solution.GetDocument(id)!.GetTextAsync()).ToString();

    private static async Task AssertCompilesAsync(Solution solution)
    {
        foreach (var project in solution.Projects)
        {
            var compilation = await project.GetCompilationAsync();
            Assert.Empty(compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        }
    }

    /// <summary>TA0003's own-method diagnostic on each <c>_repository.GetAll()</c> of the service, in source order.</summary>
    private static async Task<ImmutableArray<Diagnostic>> CallDiagnosticsAsync(Document service)
    {
        var root = (await service.GetSyntaxRootAsync())!;
        return root.DescendantNodes()
            .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
            .Where(call => call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAll" })
            .Select(call =>
            {
                var name = ((Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax)call.Expression).Name;
                var location = Location.Create(root.SyntaxTree, TextSpan.FromBounds(name.SpanStart, call.Span.End));
                return Diagnostic.Create(BlockingCallAnalyzer.OwnMethodRule, location, "'GetAll' blocks on 'Query' (Dapper)", "GetAll");
            })
            .ToImmutableArray();
    }

    private static async Task<(DocumentId Library, Document Service)> CreateSolutionAsync(AdhocWorkspace workspace, bool unpublished)
    {
        await TestReferences.EnsureResolvedAsync();
        var metadata = await TestReferences.Net80WithDataLibraries.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var libraryId = ProjectId.CreateNewId();
        var appId = ProjectId.CreateNewId();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(libraryId, VersionStamp.Default, "Inventory.Data", "Inventory.Data", LanguageNames.CSharp, compilationOptions: options, parseOptions: parse, metadataReferences: metadata))
            .AddProject(ProjectInfo.Create(appId, VersionStamp.Default, "Inventory.Web", "Inventory.Web", LanguageNames.CSharp, compilationOptions: options, parseOptions: parse, metadataReferences: metadata, projectReferences: new[] { new ProjectReference(libraryId) }));
        var libraryDocument = DocumentId.CreateNewId(libraryId);
        var serviceDocument = DocumentId.CreateNewId(appId);
        solution = solution
            .AddDocument(libraryDocument, "Repositories.cs", SourceText.From(Repositories))
            .AddDocument(serviceDocument, "EquipmentService.cs", SourceText.From(Service));
        if (unpublished)
        {
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(libraryId), ".globalconfig", SourceText.From(Unpublished), filePath: "/src/Inventory.Data/.globalconfig");
        }

        Assert.True(workspace.TryApplyChanges(solution));
        return (libraryDocument, workspace.CurrentSolution.GetDocument(serviceDocument)!);
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> diagnostics;

        public Provider(ImmutableArray<Diagnostic> diagnostics) => this.diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => d.Location.SourceTree == document.GetSyntaxTreeAsync().Result));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
