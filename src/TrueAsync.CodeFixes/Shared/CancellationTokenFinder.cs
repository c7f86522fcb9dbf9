using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>Finds a <c>CancellationToken</c> the rewritten call can forward: a parameter or a local in scope.</summary>
internal static class CancellationTokenFinder
{
    /// <summary>
    /// The token to pass at <paramref name="node"/>, or null when none is in scope. Parameters of the innermost
    /// function come first, then locals declared before the node (closest first), then outer parameters.
    /// </summary>
    public static ExpressionSyntax? Find(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var tokenType = model.Compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        if (tokenType is null)
        {
            return null;
        }

        var position = node.SpanStart;
        var enclosing = model.GetEnclosingSymbol(position, cancellationToken);
        ISymbol? best = null;
        var bestRank = int.MaxValue;
        foreach (var symbol in model.LookupSymbols(position))
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rank;
            switch (symbol)
            {
                case IParameterSymbol parameter when SymbolEqualityComparer.Default.Equals(parameter.Type, tokenType)
                    && parameter.RefKind != RefKind.Out:
                    rank = SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, enclosing) ? 0 : 2000;
                    break;
                case ILocalSymbol local when SymbolEqualityComparer.Default.Equals(local.Type, tokenType)
                    && IsDeclaredBefore(local, position, cancellationToken, out var distance):
                    rank = 1 + System.Math.Min(distance, 1000);
                    break;
                default:
                    continue;
            }

            if (rank < bestRank)
            {
                best = symbol;
                bestRank = rank;
            }
        }

        return best is null ? null : SyntaxFactory.IdentifierName(SyntaxFacts.GetKeywordKind(best.Name) != SyntaxKind.None ? "@" + best.Name : best.Name);
    }

    private static bool IsDeclaredBefore(ILocalSymbol local, int position, CancellationToken cancellationToken, out int distance)
    {
        distance = int.MaxValue;
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            // A local whose scope covers the node but which is declared later cannot be used yet (CS0841);
            // one declared in a foreach/using header or a pattern is usable after its declaration ends.
            if (declaration.Span.End <= position)
            {
                distance = System.Math.Min(distance, position - declaration.Span.End);
            }
        }

        return distance != int.MaxValue;
    }
}
