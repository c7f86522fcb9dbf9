using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// Fix All for TA0004. Several blocking calls in one function interact (the function gets <c>async</c> once, its returns are
/// rewritten once), so the batch fixer's one-diagnostic-at-a-time merge would clash: here the diagnostics of a document are
/// grouped by function and each function is rewritten once. Works for document, project and solution scopes.
/// </summary>
internal sealed class FakeAsyncMethodFixAllProvider : FixAllProvider
{
    public static readonly FakeAsyncMethodFixAllProvider Instance = new();

    // Only diagnostics found on the document's current text: in a dotnet format round another TA0004 fixer (the async twin)
    // may have rewritten the document since they were computed, and their spans would point at other code.
    private static readonly FixAllProvider ByDocument = Create(
        async (context, document, diagnostics) => await FakeAsyncMethodFixer.FixDocumentAsync(
                document,
                await CurrentDiagnostics.OfAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false),
                context.CancellationToken)
            .ConfigureAwait(false));

    private FakeAsyncMethodFixAllProvider()
    {
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => ByDocument.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        => fixAllContext.CodeActionEquivalenceKey is null or FakeAsyncMethodFixer.EquivalenceKey
            ? ByDocument.GetFixAsync(fixAllContext)
            : Task.FromResult<CodeAction?>(null);
}
