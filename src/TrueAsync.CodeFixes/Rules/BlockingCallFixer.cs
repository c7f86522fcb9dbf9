using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0003 fix: await the async counterpart (forwarding a CancellationToken in scope), or turn a
/// <c>foreach</c> over an EF query into <c>await foreach</c> over <c>AsAsyncEnumerable()</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallFixer)), Shared]
public sealed class BlockingCallFixer : CodeFixProvider
{
    private const string EquivalenceKey = nameof(BlockingCallFixer);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.BlockingCallInAsyncCode);

    // The enclosing function is already async, so the fixes of one document do not depend on each other; but the batch
    // fixer merges their text changes, and several fixes that each add the same import (System.Data.Common for the ADO.NET
    // casts) can be seen as conflicting, so that one fix is dropped and only a second Fix All finds it. The fixes of a
    // document are applied one after the other instead. One kind of action: a Fix All without a key (dotnet format's
    // when the first diagnostic has no fix) means it. Diagnostics of text the twin action has rewritten since are left to
    // the next round (CurrentDiagnostics).
    private static readonly FixAllProvider FixAll = FixAllProvider.Create(
        async (context, document, diagnostics) => context.CodeActionEquivalenceKey is null or EquivalenceKey
            ? await FixDocumentAsync(
                    document,
                    await CurrentDiagnostics.OfAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false),
                    context.CancellationToken)
                .ConfigureAwait(false)
            : document);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindSite(root, diagnostic) is not { } site)
            {
                continue;
            }

            var (node, counterpart) = site;
            var document = context.Document;
            var title = node is ForEachStatementSyntax ? "Use 'await foreach' with 'AsAsyncEnumerable()'" : "Use '" + counterpart.AsyncDisplay + "'";
            context.RegisterCodeFix(CodeAction.Create(title, ct => FixAsync(document, node, counterpart, ct), EquivalenceKey), diagnostic);
        }
    }

    /// <summary>
    /// The node a diagnostic's fix rewrites (the blocking invocation, or the <c>foreach</c> over an EF query) and its
    /// counterpart; null when the diagnostic has no fix.
    /// </summary>
    private static (SyntaxNode Node, AsyncCounterpart Counterpart)? FindSite(SyntaxNode root, Diagnostic diagnostic)
    {
        var counterpart = AsyncCounterpart.FromProperties(diagnostic.Properties);
        if (counterpart is null || !counterpart.IsFixable || !root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        if (counterpart.Kind == CounterpartKind.ForEachAsAsyncEnumerable)
        {
            return node?.FirstAncestorOrSelf<ForEachStatementSyntax>() is { } loop && loop.ForEachKeyword.SpanStart == diagnostic.Location.SourceSpan.Start
                ? (loop, counterpart)
                : null;
        }

        return node?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } invocation && invocation.Span.End == diagnostic.Location.SourceSpan.End
            ? (invocation, counterpart)
            : null;
    }

    /// <summary>
    /// Fix All in one document: the sites are marked, then fixed one after the other, each on the document as the fixes
    /// before it left it (a site inside a rewritten statement, such as a call in the body of an upgraded <c>using</c>,
    /// is found again by its mark).
    /// </summary>
    private static async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var sites = new Dictionary<SyntaxNode, (AsyncCounterpart Counterpart, SyntaxAnnotation Mark)>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (FindSite(root, diagnostic) is { } site && !sites.ContainsKey(site.Node))
            {
                sites.Add(site.Node, (site.Counterpart, new SyntaxAnnotation()));
            }
        }

        if (sites.Count == 0)
        {
            return document;
        }

        var marks = sites.Values.ToArray();
        document = document.WithSyntaxRoot(root.ReplaceNodes(sites.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(sites[original].Mark)));
        foreach (var (counterpart, mark) in marks)
        {
            var current = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (current?.GetAnnotatedNodes(mark).FirstOrDefault() is { } node)
            {
                document = await FixAsync(document, node, counterpart, cancellationToken).ConfigureAwait(false);
            }
        }

        return document;
    }

    private static Task<Document> FixAsync(Document document, SyntaxNode node, AsyncCounterpart counterpart, CancellationToken cancellationToken)
        => node switch
        {
            ForEachStatementSyntax loop => FixForEachAsync(document, loop, counterpart, cancellationToken),
            InvocationExpressionSyntax invocation => FixInvocationAsync(document, invocation, counterpart, cancellationToken),
            _ => Task.FromResult(document),
        };

    private static async Task<Document> FixInvocationAsync(Document document, InvocationExpressionSyntax invocation, AsyncCounterpart counterpart, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var token = CancellationTokenFinder.Find(editor.SemanticModel, invocation, cancellationToken);
        if (counterpart.ExpressionsCompiled)
        {
            // db.Orders.Where(isOverdue.Compile()).ToList() -> await db.Orders.Where(isOverdue).ToListAsync(): the query
            // stays EF's (docs/rules/TA0003.md, "LINQ to objects over a DbSet").
            editor.ReplaceNode(invocation, AwaitRewriter.CreateAwaitedCounterpart(PassExpressions(invocation, editor.SemanticModel, cancellationToken), invocation, counterpart, token));
            AwaitRewriter.AddImport(editor, counterpart.ImportNamespace);
            return editor.GetChangedDocument();
        }

        AwaitRewriter.ReplaceBlockingCall(editor, invocation, counterpart, token);
        return editor.GetChangedDocument();
    }

    /// <summary><paramref name="invocation"/> with every <c>expression.Compile()</c> argument in its query chain replaced by the expression.</summary>
    private static InvocationExpressionSyntax PassExpressions(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        var compiles = invocation.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax)
            .OfType<InvocationExpressionSyntax>()
            .Where(call => call.Parent is ArgumentSyntax
                && call.ArgumentList.Arguments.Count == 0
                && call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Compile" } access
                && model.GetTypeInfo(access.Expression, cancellationToken).Type is INamedTypeSymbol { Name: "Expression", Arity: 1 })
            .ToList();
        return invocation.ReplaceNodes(compiles, (original, _) => ((MemberAccessExpressionSyntax)original.Expression).Expression.WithTriviaFrom(original));
    }

    private static async Task<Document> FixForEachAsync(Document document, ForEachStatementSyntax loop, AsyncCounterpart counterpart, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var token = CancellationTokenFinder.Find(editor.SemanticModel, loop, cancellationToken);
        editor.ReplaceNode(loop, AwaitRewriter.CreateAwaitForEach(loop, counterpart, token));
        AwaitRewriter.AddImport(editor, counterpart.ImportNamespace);
        return editor.GetChangedDocument();
    }
}
