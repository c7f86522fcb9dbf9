using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Tests.Infrastructure;

namespace TrueAsync.Tests.Robustness;

/// <summary>What the analyzers and the compiler say about one state of a project.</summary>
public sealed record ProjectDiagnostics(ImmutableArray<Diagnostic> Findings, ImmutableArray<Diagnostic> Crashes, ImmutableArray<Diagnostic> Errors);

/// <summary>
/// An input loaded into an <see cref="AdhocWorkspace"/> with real reference assemblies, so that fixers
/// see the same documents, options and references that the analyzers saw, as in the IDE.
/// </summary>
public sealed class InputProject : IDisposable
{
    private static readonly ConcurrentDictionary<ReferenceSet, Lazy<Task<ImmutableArray<MetadataReference>>>> References = new();

    private InputProject(AdhocWorkspace workspace, Project project)
    {
        Workspace = workspace;
        Project = project;
    }

    public AdhocWorkspace Workspace { get; }

    public Project Project { get; }

    public static async Task<InputProject> CreateAsync(RobustnessInput input, RobustnessConfiguration configuration, CancellationToken cancellationToken)
    {
        var references = await ResolveAsync(configuration.References, cancellationToken).ConfigureAwait(false);
        var parseOptions = new CSharpParseOptions(configuration.LanguageVersion);
        var workspace = new AdhocWorkspace();
        try
        {
            var added = new Dictionary<RobustnessInput, ProjectId>();
            var projectId = AddProject(workspace, input, "RobustnessInput", parseOptions, configuration, references, added, cancellationToken);
            return new InputProject(workspace, workspace.CurrentSolution.GetProject(projectId)!);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds <paramref name="input"/> to the workspace after the projects it references (each once, however many
    /// projects reference it), with a project reference to each.
    /// </summary>
    private static ProjectId AddProject(
        AdhocWorkspace workspace,
        RobustnessInput input,
        string assemblyName,
        CSharpParseOptions parseOptions,
        RobustnessConfiguration configuration,
        ImmutableArray<MetadataReference> references,
        Dictionary<RobustnessInput, ProjectId> added,
        CancellationToken cancellationToken)
    {
        if (added.TryGetValue(input, out var existing))
        {
            return existing;
        }

        var projectReferences = input.References
            .Select(r => new ProjectReference(AddProject(workspace, r, AssemblyNameOf(r), parseOptions, configuration, references, added, cancellationToken)))
            .ToArray();
        var trees = input.Documents.Select(d => CSharpSyntaxTree.ParseText(d.Text, parseOptions, cancellationToken: cancellationToken)).ToArray();
        var hasTopLevelStatements = trees.Any(t => t.GetRoot(cancellationToken) is CompilationUnitSyntax unit && unit.Members.Any(m => m is GlobalStatementSyntax));
        var supportsNullable = configuration.LanguageVersion.MapSpecifiedToEffectiveVersion() >= LanguageVersion.CSharp8;
        var compilationOptions = new CSharpCompilationOptions(
            hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: supportsNullable ? NullableContextOptions.Enable : NullableContextOptions.Disable);

        var projectId = ProjectId.CreateNewId(assemblyName);
        var documents = input.Documents.Select((d, i) => DocumentInfo.Create(
            DocumentId.CreateNewId(projectId, d.Path),
            d.Path,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(d.Text), VersionStamp.Create())),
            filePath: "/robustness/" + assemblyName + "/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/" + d.Path));
        var info = ProjectInfo.Create(
            projectId,
            VersionStamp.Create(),
            assemblyName,
            assemblyName,
            LanguageNames.CSharp,
            compilationOptions: compilationOptions,
            parseOptions: parseOptions,
            documents: documents,
            projectReferences: projectReferences,
            metadataReferences: references);
        workspace.AddProject(info);
        added.Add(input, projectId);
        return projectId;
    }

    /// <summary>A referenced project's assembly name: the last part of its input name (<c>samples/Inventory/Inventory.Data</c> → <c>Inventory.Data</c>).</summary>
    private static string AssemblyNameOf(RobustnessInput input) => input.Name.Substring(input.Name.LastIndexOf('/') + 1);

    /// <summary>
    /// Resolves each reference set once per process: the same <see cref="MetadataReference"/> objects
    /// in every compilation let Roslyn reuse the loaded assembly symbols instead of reading them again.
    /// </summary>
    public static Task<ImmutableArray<MetadataReference>> ResolveAsync(ReferenceSet set, CancellationToken cancellationToken)
        => References.GetOrAdd(set, s => new Lazy<Task<ImmutableArray<MetadataReference>>>(async () =>
        {
            await TestReferences.EnsureResolvedAsync().ConfigureAwait(false);
            return await s.Assemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None).ConfigureAwait(false);
        })).Value.WaitAsync(cancellationToken);

    /// <summary>
    /// Runs the analyzers (and, when asked, the compiler) over one state of a project. Without errors
    /// this is <see cref="CompilationFactory.RunAnalyzersAsync"/>; with errors the compiler and the
    /// analyzers share one pass over the compilation (binding once), with AD0001 surfaced the same way.
    /// </summary>
    public static async Task<ProjectDiagnostics> DiagnoseAsync(Project project, RulesUnderTest rules, bool withErrors, CancellationToken cancellationToken)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
        ImmutableArray<Diagnostic> diagnostics;
        if (!withErrors)
        {
            diagnostics = rules.Analyzers.IsEmpty
                ? ImmutableArray<Diagnostic>.Empty
                : await CompilationFactory.RunAnalyzersAsync(compilation, rules.Analyzers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else if (rules.Analyzers.IsEmpty)
        {
            diagnostics = compilation.GetDiagnostics(cancellationToken);
        }
        else
        {
            var exceptions = new ConcurrentBag<Diagnostic>();
            var withAnalyzers = compilation.WithAnalyzers(
                rules.Analyzers,
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Add(diagnostic),
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: false,
                    reportSuppressedDiagnostics: false));
            var all = await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
            diagnostics = all.AddRange(exceptions.Where(e => !all.Contains(e)));
        }

        var findings = diagnostics.Where(d => rules.DiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
        var crashes = diagnostics.Where(d => d.Id == "AD0001").ToImmutableArray();
        var errors = withErrors
            ? diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "AD0001" && !rules.DiagnosticIds.Contains(d.Id)).ToImmutableArray()
            : ImmutableArray<Diagnostic>.Empty;
        return new ProjectDiagnostics(findings, crashes, errors);
    }

    public void Dispose() => Workspace.Dispose();
}

/// <summary>
/// Gives Fix All the TrueAsync diagnostics of a project state, computed once per <see cref="Project"/>
/// instance (Fix All asks for every document of the project).
/// </summary>
public sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
{
    private readonly RulesUnderTest _rules;
    private readonly ConditionalWeakTable<Project, Task<ImmutableArray<Diagnostic>>> _cache = new();

    public AnalyzerDiagnosticProvider(RulesUnderTest rules) => _rules = rules;

    public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
    {
        var all = await GetAsync(document.Project, cancellationToken).ConfigureAwait(false);
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        return all.Where(d => d.Location.SourceTree == tree);
    }

    public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
    {
        var all = await GetAsync(project, cancellationToken).ConfigureAwait(false);
        return all.Where(d => !d.Location.IsInSource);
    }

    public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        => await GetAsync(project, cancellationToken).ConfigureAwait(false);

    private Task<ImmutableArray<Diagnostic>> GetAsync(Project project, CancellationToken cancellationToken)
        => _cache.GetValue(project, p => Task.Run(async () => (await InputProject.DiagnoseAsync(p, _rules, withErrors: false, cancellationToken).ConfigureAwait(false)).Findings, cancellationToken));
}
