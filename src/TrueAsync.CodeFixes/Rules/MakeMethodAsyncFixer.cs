using System.Collections.Immutable;
using System.Composition;
using System.Threading;
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
/// solution awaits it; synchronous callers become async with it, up to async callers and entry points. Offered only when
/// every caller can await and the result compiles (see <see cref="MakeMethodAsyncConversion"/>).
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

            // The light bulb asks whether every caller can await or change (reference searches up the synchronous
            // callers) but neither rewrites nor compiles the changed documents: that, the costly part, runs when the
            // action is applied.
            var result = await MakeMethodAsyncConversion.TryConvertAsync(context.Document, declaration, diagnostic.Location.SourceSpan, context.CancellationToken, verifyCompiles: false).ConfigureAwait(false);
            if (result is null)
            {
                continue;
            }

            var title = (result.NewName == result.OldName
                    ? "Make '" + result.OldName + "' async"
                    : "Make '" + result.OldName + "' async as '" + result.NewName + "'")
                + (result.Callers == 0 ? string.Empty : result.Callers == 1 ? " and await it in its caller" : " and await it in its " + result.Callers + " callers")
                + (result.SynchronousCallers == 0 ? string.Empty : " (synchronous callers become async too)");
            var document = context.Document;
            var waitSpan = diagnostic.Location.SourceSpan;
            var declarationSpan = declaration.Span;
            context.RegisterCodeFix(CodeAction.Create(title, ct => ConvertAsync(document, declarationSpan, waitSpan, ct), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>
    /// The conversion, checked by compiling the changed documents, when the action is applied. Should the result not
    /// compile (the light bulb's checks found nothing against it), the solution is returned unchanged.
    /// </summary>
    private static async Task<Solution> ConvertAsync(Document document, TextSpan declarationSpan, TextSpan waitSpan, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(declarationSpan, getInnermostNodeForTie: true) is MethodDeclarationSyntax declaration
            && await MakeMethodAsyncConversion.TryConvertAsync(document, declaration, waitSpan, cancellationToken).ConfigureAwait(false) is { } result)
        {
            return result.Solution;
        }

        return document.Project.Solution;
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
