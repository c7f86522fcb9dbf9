using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>Where an <c>await</c> may stand once its function is async.</summary>
internal static class AwaitPlacement
{
    /// <summary>
    /// Whether an <c>await</c> may take the place of <paramref name="operation"/> (its function being async): not in a
    /// <c>lock</c> body, a catch filter, an unsafe block, <c>nameof</c> or an expression tree, nor in a <c>catch</c>/<c>finally</c>
    /// block before C# 6.
    /// </summary>
    public static bool CanAwaitAt(IOperation operation)
    {
        if (AsyncContext.IsInNonRewritablePlace(operation) || IsInsideRefLikeValue(operation))
        {
            return false;
        }

        var beforeCSharp6 = operation.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp6 };
        for (var node = operation.Syntax.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax or GlobalStatementSyntax:
                    return true;
                case CatchFilterClauseSyntax or UnsafeStatementSyntax:
                    return false;
                case CatchClauseSyntax or FinallyClauseSyntax when beforeCSharp6:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a ref struct is being built around <paramref name="operation"/>: an interpolated string handler
    /// (<c>string.Create(culture, $"…{Describe(id)}…")</c>) or a span argument cannot live across an
    /// <c>await</c> (CS4007), so no await may stand there.
    /// </summary>
    private static bool IsInsideRefLikeValue(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IInterpolatedStringHandlerCreationOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IBlockOperation:
                    return false;
            }

            if (current.Type is { IsRefLikeType: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the function declaration or anything around it is marked <c>unsafe</c>.</summary>
    public static bool IsInUnsafeContext(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            var modifiers = current switch
            {
                MemberDeclarationSyntax member => member.Modifiers,
                LocalFunctionStatementSyntax local => local.Modifiers,
                _ => default,
            };
            if (modifiers.Any(SyntaxKind.UnsafeKeyword) || current is UnsafeStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
