using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
        if (AsyncContext.IsInNonRewritablePlace(operation))
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
