using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>What the hand-written Fix All providers (make-method-async, the async twin) share: the scopes they serve and the documents of one.</summary>
internal static class FixAllScopes
{
    public static readonly FixAllScope[] Supported = { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    /// <summary>The documents whose diagnostics a Fix All in <paramref name="context"/>'s scope reads.</summary>
    public static IReadOnlyList<Document> DocumentsOf(FixAllContext context) => context.Scope switch
    {
        FixAllScope.Document when context.Document is { } document => new[] { document },
        FixAllScope.Project => context.Project.Documents.ToArray(),
        FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents).ToArray(),
        _ => new Document[0],
    };
}
