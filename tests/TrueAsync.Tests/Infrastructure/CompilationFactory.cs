using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TrueAsync.Tests.Infrastructure;

/// <summary>Builds compilations over real reference assemblies and runs the shipped analyzers on them.</summary>
public static class CompilationFactory
{
    public static async Task<CSharpCompilation> CreateAsync(
        IEnumerable<string> sources,
        ReferenceAssemblies? references = null,
        LanguageVersion languageVersion = LanguageVersion.Latest,
        CancellationToken cancellationToken = default)
    {
        await TestReferences.EnsureResolvedAsync().ConfigureAwait(false);
        var metadata = await (references ?? TestReferences.Net80WithDataLibraries)
            .ResolveAsync(LanguageNames.CSharp, cancellationToken).ConfigureAwait(false);
        var parseOptions = new CSharpParseOptions(languageVersion);
        var trees = sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Input{i}.cs", cancellationToken: cancellationToken));
        return CSharpCompilation.Create(
            "TrueAsyncTestInput",
            trees,
            metadata,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    /// <summary>
    /// Runs analyzers and returns their diagnostics. An analyzer exception becomes an AD0001
    /// diagnostic in the result, the way the IDE and the build report it, so callers assert there is none.
    /// </summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAnalyzersAsync(
        Compilation compilation,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        AnalyzerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var exceptions = new System.Collections.Concurrent.ConcurrentBag<Diagnostic>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                options ?? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, diagnostic) => exceptions.Add(diagnostic),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        // The callback sees every exception even where the driver would not surface it as a diagnostic.
        return diagnostics.AddRange(exceptions.Where(e => !diagnostics.Contains(e)));
    }
}
