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

    // The enclosing function is already async, so fixes in one method do not interact: a batch fix is enough.
    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly FixAllProvider FixAll = new DefaultKeyFixAllProvider(WellKnownFixAllProviders.BatchFixer, EquivalenceKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var counterpart = AsyncCounterpart.FromProperties(diagnostic.Properties);
            if (counterpart is null || !counterpart.IsFixable)
            {
                continue;
            }

            var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
            if (counterpart.Kind == CounterpartKind.ForEachAsAsyncEnumerable)
            {
                if (node?.FirstAncestorOrSelf<ForEachStatementSyntax>() is { } loop && loop.ForEachKeyword.SpanStart == diagnostic.Location.SourceSpan.Start)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(
                            "Use 'await foreach' with 'AsAsyncEnumerable()'",
                            ct => FixForEachAsync(context.Document, loop, counterpart, ct),
                            EquivalenceKey),
                        diagnostic);
                }

                continue;
            }

            var invocation = node?.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            if (invocation is null || invocation.Span.End != diagnostic.Location.SourceSpan.End)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Use '" + counterpart.AsyncDisplay + "'",
                    ct => FixInvocationAsync(context.Document, invocation, counterpart, ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

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
