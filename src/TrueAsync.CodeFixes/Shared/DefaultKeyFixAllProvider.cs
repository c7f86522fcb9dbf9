using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// Fix All that does not depend on which diagnostic came first. <c>dotnet format</c> asks the fixer for the actions
/// of the first diagnostic of an ID in the solution and passes that action's equivalence key to Fix All; when that
/// one diagnostic has no fix (an own method without an async twin, a site whose rewrite would not compile), the key
/// is null, the batch fixer matches no action, and nothing of that ID is fixed anywhere ("didn't return a Fix All
/// action"). Each TrueAsync fixer registers one kind of action, so a missing key means that kind.
/// </summary>
internal sealed class DefaultKeyFixAllProvider : FixAllProvider
{
    private readonly FixAllProvider inner;
    private readonly string equivalenceKey;

    public DefaultKeyFixAllProvider(FixAllProvider inner, string equivalenceKey)
    {
        this.inner = inner;
        this.equivalenceKey = equivalenceKey;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => inner.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        => inner.GetFixAsync(WithDefaultKey(fixAllContext, equivalenceKey));

    /// <summary><paramref name="context"/> itself when it has a key, else the same request with <paramref name="key"/>.</summary>
    public static FixAllContext WithDefaultKey(FixAllContext context, string key)
    {
        if (context.CodeActionEquivalenceKey is not null)
        {
            return context;
        }

        var diagnostics = new Forwarding(context);
        return context.Document is { } document
            ? new FixAllContext(document, context.CodeFixProvider, context.Scope, key, context.DiagnosticIds, diagnostics, context.CancellationToken)
            : new FixAllContext(context.Project, context.CodeFixProvider, context.Scope, key, context.DiagnosticIds, diagnostics, context.CancellationToken);
    }

    /// <summary>The original context's diagnostics (its provider is not public; its queries are).</summary>
    private sealed class Forwarding : FixAllContext.DiagnosticProvider
    {
        private readonly FixAllContext original;

        public Forwarding(FixAllContext original)
        {
            this.original = original;
        }

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => await original.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await original.GetProjectDiagnosticsAsync(project).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await original.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
    }
}
