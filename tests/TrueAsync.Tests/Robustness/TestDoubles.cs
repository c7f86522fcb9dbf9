using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TrueAsync.Tests.Robustness;

/// <summary>
/// Misbehaving analyzers and fixers that prove the suite catches what it claims to catch. They are
/// compiled from source when a self-test asks for them, so that they never sit in an assembly as
/// analyzers (the analyzer-authoring rules RS1036/RS1038/RS2008 are about shipped analyzers, and these
/// are neither shipped nor rules).
/// </summary>
public static class TestDoubles
{
    private const string Source = """
        using System;
        using System.Collections.Immutable;
        using System.Threading.Tasks;
        using Microsoft.CodeAnalysis;
        using Microsoft.CodeAnalysis.CodeActions;
        using Microsoft.CodeAnalysis.CodeFixes;
        using Microsoft.CodeAnalysis.CSharp;
        using Microsoft.CodeAnalysis.CSharp.Syntax;
        using Microsoft.CodeAnalysis.Diagnostics;

        namespace RobustnessDoubles;

        public static class Descriptors
        {
            public static readonly DiagnosticDescriptor Return = new("ROBUST01", "Self test", "Self test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
            public static readonly DiagnosticDescriptor Throw = new("ROBUST02", "Self test", "Self test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
        }

        // Reports every return statement.
        public sealed class ReportsEveryReturnAnalyzer : DiagnosticAnalyzer
        {
            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.Return);

            public override void Initialize(AnalysisContext context)
            {
                context.EnableConcurrentExecution();
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.RegisterSyntaxNodeAction(c => c.ReportDiagnostic(Diagnostic.Create(Descriptors.Return, c.Node.GetLocation())), SyntaxKind.ReturnStatement);
            }
        }

        // Throws on every throw statement.
        public sealed class ThrowsOnThrowAnalyzer : DiagnosticAnalyzer
        {
            public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.Throw);

            public override void Initialize(AnalysisContext context)
            {
                context.EnableConcurrentExecution();
                context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
                context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("self-test crash"), SyntaxKind.ThrowStatement);
            }
        }

        // "Fixes" a return by returning a string, so the code no longer compiles and the return is still reported.
        public sealed class BreaksTheCodeFixer : CodeFixProvider
        {
            public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("ROBUST01");

            public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

            public override Task RegisterCodeFixesAsync(CodeFixContext context)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Break it",
                        async ct =>
                        {
                            var root = (await context.Document.GetSyntaxRootAsync(ct).ConfigureAwait(false))!;
                            var statement = (ReturnStatementSyntax)root.FindNode(context.Span);
                            var broken = statement.WithExpression(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("one")));
                            return context.Document.WithSyntaxRoot(root.ReplaceNode(statement, broken));
                        },
                        equivalenceKey: "Break"),
                    context.Diagnostics);
                return Task.CompletedTask;
            }
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(Compile);

    /// <summary>The descriptor of the reporting double, for tests that build diagnostics by hand.</summary>
    public static DiagnosticDescriptor Descriptor
        => (DiagnosticDescriptor)Compiled.Value.GetType("RobustnessDoubles.Descriptors", throwOnError: true)!.GetField("Return")!.GetValue(null)!;

    public static (ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableArray<CodeFixProvider> Fixers) Create()
    {
        var assembly = Compiled.Value;
        var analyzers = new[] { "ReportsEveryReturnAnalyzer", "ThrowsOnThrowAnalyzer" }
            .Select(n => (DiagnosticAnalyzer)Activator.CreateInstance(assembly.GetType("RobustnessDoubles." + n, throwOnError: true)!)!)
            .ToImmutableArray();
        var fixers = ImmutableArray.Create((CodeFixProvider)Activator.CreateInstance(assembly.GetType("RobustnessDoubles.BreaksTheCodeFixer", throwOnError: true)!)!);
        return (analyzers, fixers);
    }

    private static Assembly Compile()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var roslyn = new[] { typeof(DiagnosticAnalyzer), typeof(CSharpSyntaxNode), typeof(CodeFixProvider), typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions) }
            .Select(t => t.Assembly.Location);
        var references = platform.Concat(roslyn).Distinct(StringComparer.Ordinal).Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "RobustnessDoubles",
            new[] { CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return Assembly.Load(image.ToArray());
    }
}
