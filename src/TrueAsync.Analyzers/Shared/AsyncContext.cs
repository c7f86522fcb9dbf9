using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>What kind of function a piece of code runs in.</summary>
internal enum FunctionKind
{
    /// <summary>No enclosing function could be found (field initializers, attributes, broken code).</summary>
    None,
    Synchronous,
    Async,
}

/// <summary>
/// Answers questions about where an operation sits: in which function, whether that function is
/// <c>async</c>, and whether the operation is in a place where a rewrite to <c>await</c> is impossible
/// or meaningless (a <c>lock</c> body, an expression tree, <c>nameof</c>).
/// </summary>
internal static class AsyncContext
{
    // Every call in a top-level program asks whether the program is async; scan its statements once per tree.
    private static readonly ConditionalWeakTable<CompilationUnitSyntax, StrongBox<bool>> TopLevelAwait = new();

    /// <summary>
    /// The innermost method, accessor, local function, lambda or anonymous method around <paramref name="node"/>,
    /// or the compilation unit for top-level statements.
    /// </summary>
    public static SyntaxNode? GetEnclosingFunction(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                    return current;
                case GlobalStatementSyntax global:
                    return global.Parent;
                case TypeDeclarationSyntax:
                    // Field and property initializers: not inside a function body.
                    return null;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="function"/> (from <see cref="GetEnclosingFunction"/>) is async.</summary>
    public static bool IsAsyncFunction(SyntaxNode? function) => function switch
    {
        AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
        LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
        MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
        // Top-level statements become an async Main exactly when they contain an await.
        CompilationUnitSyntax unit => TopLevelAwait.GetValue(unit, ContainsTopLevelAwait).Value,
        _ => false,
    };

    public static FunctionKind GetFunctionKind(SyntaxNode node)
    {
        var function = GetEnclosingFunction(node);
        if (function is null)
        {
            return FunctionKind.None;
        }

        return IsAsyncFunction(function) ? FunctionKind.Async : FunctionKind.Synchronous;
    }

    /// <summary>
    /// True inside a <c>lock</c> body of the same function (await is not allowed there), inside
    /// <c>nameof</c>, or inside a lambda that becomes an expression tree (nothing runs there).
    /// </summary>
    public static bool IsInNonRewritablePlace(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current.Kind)
            {
                case OperationKind.NameOf:
                case OperationKind.Lock:
                    return true;
                case OperationKind.AnonymousFunction:
                    var lambda = (IAnonymousFunctionOperation)current;
                    if (IsExpressionTreeLambda(lambda))
                    {
                        return true;
                    }

                    // A lock around the lambda does not hold while the lambda runs, but an
                    // expression tree or nameof further out still does.
                    return IsInNameOfOrExpressionTree(lambda);
                case OperationKind.LocalFunction:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="operation"/> is inside <c>nameof</c> or a lambda converted to an expression tree: nothing
    /// runs there, so no rule reports and no fix rewrites there. The one answer to this question for analyzers and fixers.
    /// </summary>
    public static bool IsInNameOfOrExpressionTree(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current.Kind)
            {
                case OperationKind.NameOf:
                case OperationKind.AnonymousFunction when IsExpressionTreeLambda((IAnonymousFunctionOperation)current):
                    return true;
            }
        }

        return false;
    }

    /// <summary>Whether the lambda is converted to <c>System.Linq.Expressions.Expression&lt;T&gt;</c>.</summary>
    public static bool IsExpressionTreeLambda(IAnonymousFunctionOperation lambda)
    {
        var target = lambda.Parent switch
        {
            IDelegateCreationOperation creation => creation.Type,
            IConversionOperation conversion => conversion.Type,
            _ => null,
        };

        for (var type = target; type is not null; type = type.BaseType)
        {
            if (type.Name == "Expression" && type.ContainingNamespace is { Name: "Expressions" } ns
                && ns.ContainingNamespace is { Name: "Linq" } linq && linq.ContainingNamespace is { Name: "System" } system
                && system.ContainingNamespace.IsGlobalNamespace)
            {
                return true;
            }
        }

        return false;
    }

    private static StrongBox<bool> ContainsTopLevelAwait(CompilationUnitSyntax unit) => new(ScanTopLevelAwait(unit));

    private static bool ScanTopLevelAwait(CompilationUnitSyntax unit)
    {
        foreach (var member in unit.Members)
        {
            if (member is GlobalStatementSyntax global)
            {
                foreach (var node in global.DescendantNodes(descendIntoChildren: n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
                {
                    if (node is AwaitExpressionSyntax
                        || (node is ForEachStatementSyntax forEach && forEach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                        || (node is UsingStatementSyntax usingStatement && usingStatement.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword))
                        || (node is LocalDeclarationStatementSyntax declaration && declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
