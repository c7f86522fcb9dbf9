using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// Diagnostics that still describe a document. <c>dotnet format</c> runs every fixer of a diagnostic ID one after the other
/// on the solution the previous one changed, with the diagnostics computed before the first: a fixer whose Fix All rewrote a
/// document leaves the next fixer spans into text that is no longer there. Two TrueAsync fixers take TA0003 and TA0004
/// (the rule's own and the async twin), so each Fix All skips what is stale and leaves it to the next round.
/// </summary>
internal static class CurrentDiagnostics
{
    public static async Task<ImmutableArray<Diagnostic>> OfAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        if (tree is null)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        var all = diagnostics.ToImmutableArray();
        var current = await tree.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var builder = ImmutableArray.CreateBuilder<Diagnostic>(all.Length);
        var checkedTrees = new Dictionary<SyntaxTree, bool>();
        foreach (var diagnostic in all)
        {
            var source = diagnostic.Location.SourceTree;
            if (source is null || source == tree)
            {
                builder.Add(diagnostic);
                continue;
            }

            if (!checkedTrees.TryGetValue(source, out var same))
            {
                same = (await source.GetTextAsync(cancellationToken).ConfigureAwait(false)).ContentEquals(current);
                checkedTrees.Add(source, same);
            }

            if (same)
            {
                builder.Add(diagnostic);
            }
        }

        return builder.ToImmutable();
    }
}
