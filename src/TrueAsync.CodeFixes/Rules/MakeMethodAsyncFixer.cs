using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// The second action for a task wait in synchronous code (TA0002 reports it without a fix there): make the method async.
/// <c>T M(…)</c> becomes <c>async Task&lt;T&gt; MAsync(…)</c>, its waits become <c>await</c>, and every caller in the
/// solution awaits it. Offered only when every caller is already async code and the result compiles (see
/// <see cref="MakeMethodAsyncConversion"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodAsyncFixer)), Shared]
public sealed class MakeMethodAsyncFixer : CodeFixProvider
{
    internal const string EquivalenceKey = nameof(MakeMethodAsyncFixer);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SyncOverAsync);

    public override FixAllProvider GetFixAllProvider() => MakeMethodAsyncFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindMethod(root, diagnostic) is not { } declaration)
            {
                continue;
            }

            // The whole conversion runs here: whether it is safe depends on every caller in the solution.
            var result = await MakeMethodAsyncConversion.TryConvertAsync(context.Document, declaration, diagnostic.Location.SourceSpan, context.CancellationToken).ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }

            var title = (result.NewName == result.OldName
                    ? "Make '" + result.OldName + "' async"
                    : "Make '" + result.OldName + "' async as '" + result.NewName + "'")
                + (result.Callers == 0 ? string.Empty : result.Callers == 1 ? " and await it in its caller" : " and await it in its " + result.Callers + " callers");
            var solution = result.Solution;
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(solution), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>
    /// The method declaration whose body holds the wait directly, for a wait in synchronous code (in async code TA0002's
    /// own fix awaits it, and the analyzer says so with its fix property).
    /// </summary>
    internal static MethodDeclarationSyntax? FindMethod(SyntaxNode root, Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        if (diagnostic.Id != RuleIdentifiers.SyncOverAsync
            || diagnostic.Properties.ContainsKey(SyncOverAsyncAnalyzer.FixProperty)
            || !root.FullSpan.Contains(span))
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        return AsyncContext.GetEnclosingFunction(node) as MethodDeclarationSyntax;
    }

    /// <summary>The span of <see cref="FindMethod"/>'s declaration.</summary>
    internal static TextSpan? MethodSpan(SyntaxNode root, Diagnostic diagnostic) => FindMethod(root, diagnostic)?.Span;
}
