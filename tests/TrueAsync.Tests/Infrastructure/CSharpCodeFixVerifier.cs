using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace TrueAsync.Tests.Infrastructure;

/// <summary>
/// Thin wrapper over Microsoft.CodeAnalysis.Testing: every test compiles against real reference
/// assemblies (net8.0 plus EF Core, Dapper, Npgsql, Sqlite, Redis) unless it chooses another set.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.Net80WithDataLibraries;
            LanguageVersion = LanguageVersion.Latest;

            // A rule may have a second descriptor with its ID (reported at compilation end); markup means the first.
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        public LanguageVersion LanguageVersion { get; set; }

        /// <summary>Fixers offered besides <typeparamref name="TCodeFix"/> (another fixer of the same ID that finishes what it starts).</summary>
        public List<CodeFixProvider> OtherCodeFixProviders { get; } = new();

        protected override IEnumerable<CodeFixProvider> GetCodeFixProviders() => base.GetCodeFixProviders().Concat(OtherCodeFixProviders);

        // AnalyzerTest.RunAsync is not virtual: this hides it so that every test through this wrapper waits for the resolved, checked reference sets.
        public new async Task RunAsync(CancellationToken cancellationToken = default)
        {
            await TestReferences.EnsureResolvedAsync().ConfigureAwait(false);
            await base.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion);
    }

    public static DiagnosticResult Diagnostic(string id) => new DiagnosticResult(id, DiagnosticSeverity.Warning);

    /// <summary>Checks that <paramref name="source"/> produces exactly the diagnostics in its markup.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Checks the diagnostics in <paramref name="source"/>'s markup, the fix, and Fix All.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
