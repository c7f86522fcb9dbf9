using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using TrueAsync.Analyzers.Blocking;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// Rewrites that turn a whole function async in one pass. Edits are planned against the original tree and
/// applied with <see cref="SyntaxNode.ReplaceNodes{TNode}"/>, so nested edits compose: a blocking call inside
/// another blocking call's arguments, inside a <c>return Task.FromResult(…)</c>, inside a lambda that becomes
/// async too. Each edit receives the node with its descendants already rewritten.
/// </summary>
internal sealed class AsyncFunctionRewriter
{
    private readonly Dictionary<SyntaxNode, List<Func<SyntaxNode, SyntaxNode>>> edits = new();
    private readonly HashSet<string> imports = new(StringComparer.Ordinal);

    /// <summary>Namespaces the rewritten code needs (<c>Microsoft.EntityFrameworkCore</c> for <c>ToListAsync</c>).</summary>
    public IReadOnlyCollection<string> Imports => imports;

    public bool IsEmpty => edits.Count == 0;

    /// <summary>Plans <paramref name="edit"/> for <paramref name="original"/>, after the edits already planned for it.</summary>
    public void Add(SyntaxNode original, Func<SyntaxNode, SyntaxNode> edit)
    {
        if (!edits.TryGetValue(original, out var list))
        {
            list = new List<Func<SyntaxNode, SyntaxNode>>();
            edits.Add(original, list);
        }

        list.Add(edit);
    }

    /// <summary>Applies every planned edit to <paramref name="root"/> (the tree the edits were planned on).</summary>
    public SyntaxNode Apply(SyntaxNode root)
        => root.ReplaceNodes(edits.Keys, (original, rewritten) =>
        {
            var current = rewritten;
            foreach (var edit in edits[original])
            {
                current = edit(current);
            }

            return current;
        });

    /// <summary>
    /// Plans <c>await</c> of the counterpart in place of <paramref name="blocking"/>: <c>await recv.XAsync(args[, token])</c>,
    /// <c>await foreach</c> over an async stream, and <c>await using</c> for an async-disposable result (C# 8).
    /// </summary>
    public void AwaitBlockingCall(InvocationExpressionSyntax blocking, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        if (counterpart.ImportNamespace is { } import)
        {
            imports.Add(import);
        }

        if (counterpart.Kind == CounterpartKind.AsyncStream && blocking.Parent is ForEachStatementSyntax loop && loop.Expression == blocking)
        {
            Add(loop, current =>
            {
                var rewritten = (ForEachStatementSyntax)current;
                if (rewritten.Expression is not InvocationExpressionSyntax call)
                {
                    return rewritten;
                }

                var stream = AwaitRewriter.CreateAsyncInvocation(call, counterpart, token).WithTriviaFrom(call);
                return rewritten
                    .WithExpression(stream)
                    .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(rewritten.ForEachKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithForEachKeyword(rewritten.ForEachKeyword.WithLeadingTrivia());
            });
            return;
        }

        var parenthesize = AwaitRewriter.NeedsParentheses(blocking);
        Add(blocking, current =>
        {
            if (current is not InvocationExpressionSyntax call)
            {
                return current;
            }

            var awaited = AwaitRewriter.CreateAwaitedCounterpart(call, counterpart, token);
            return parenthesize && awaited is not ParenthesizedExpressionSyntax
                ? SyntaxFactory.ParenthesizedExpression(awaited.WithoutTrivia()).WithTriviaFrom(awaited)
                : awaited;
        });

        if (GetUsingToUpgrade(blocking, counterpart) is { } usingNode)
        {
            Add(usingNode, current =>
            {
                var awaitKeyword = SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                return current switch
                {
                    LocalDeclarationStatementSyntax declaration => declaration
                        .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(declaration.UsingKeyword.LeadingTrivia))
                        .WithUsingKeyword(declaration.UsingKeyword.WithLeadingTrivia()),
                    UsingStatementSyntax statement => statement
                        .WithAwaitKeyword(awaitKeyword.WithLeadingTrivia(statement.UsingKeyword.LeadingTrivia))
                        .WithUsingKeyword(statement.UsingKeyword.WithLeadingTrivia()),
                    _ => current,
                };
            });
        }
    }

    /// <summary>Plans <c>await foreach (var x in query.AsAsyncEnumerable()[.WithCancellation(token)])</c> for a <c>foreach</c> over an EF query.</summary>
    public void AwaitForEach(ForEachStatementSyntax loop, AsyncCounterpart counterpart, ExpressionSyntax? token)
    {
        if (counterpart.ImportNamespace is { } import)
        {
            imports.Add(import);
        }

        Add(loop, current => current is ForEachStatementSyntax rewritten
            ? AwaitRewriter.CreateAwaitForEach(rewritten, counterpart, token).WithAdditionalAnnotations(Formatter.Annotation)
            : current);
    }

    /// <summary>Plans the <c>async</c> modifier on a method, local function, lambda or anonymous method.</summary>
    public void MakeAsync(SyntaxNode function) => Add(function, AddAsyncModifier);

    /// <summary>
    /// <paramref name="function"/> with <c>async</c> added as its last modifier (<c>public override async Task&lt;T&gt; M()</c>,
    /// <c>static async () =&gt; …</c>); the leading trivia stays on the first token.
    /// </summary>
    public static SyntaxNode AddAsyncModifier(SyntaxNode function)
    {
        switch (function)
        {
            case MethodDeclarationSyntax method when !method.Modifiers.Any(SyntaxKind.AsyncKeyword):
            {
                var modifiers = Insert(method.Modifiers, method.ReturnType, out var returnType);
                return method.WithReturnType(returnType).WithModifiers(modifiers);
            }

            case LocalFunctionStatementSyntax local when !local.Modifiers.Any(SyntaxKind.AsyncKeyword):
            {
                var modifiers = Insert(local.Modifiers, local.ReturnType, out var returnType);
                return local.WithReturnType(returnType).WithModifiers(modifiers);
            }

            case AnonymousFunctionExpressionSyntax lambda when !lambda.Modifiers.Any(SyntaxKind.AsyncKeyword):
            {
                var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                if (lambda.Modifiers.Count > 0)
                {
                    return lambda.WithModifiers(lambda.Modifiers.Add(asyncKeyword));
                }

                // Attributes come first ([Authorize] async () => …): the indentation stays on them.
                if (lambda is LambdaExpressionSyntax { AttributeLists.Count: > 0 })
                {
                    return lambda.WithModifiers(SyntaxFactory.TokenList(asyncKeyword));
                }

                var first = lambda.GetFirstToken();
                var stripped = lambda.ReplaceToken(first, first.WithLeadingTrivia());
                return stripped.WithModifiers(SyntaxFactory.TokenList(asyncKeyword.WithLeadingTrivia(first.LeadingTrivia)));
            }

            default:
                return function;
        }
    }

    private static SyntaxTokenList Insert(SyntaxTokenList modifiers, TypeSyntax returnType, out TypeSyntax newReturnType)
    {
        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        if (modifiers.Count > 0)
        {
            newReturnType = returnType;
            return modifiers.Add(asyncKeyword);
        }

        // No modifiers (explicit interface implementations, local functions): the indentation moves to 'async'.
        var first = returnType.GetFirstToken();
        newReturnType = returnType.ReplaceToken(first, first.WithLeadingTrivia());
        return SyntaxFactory.TokenList(asyncKeyword.WithLeadingTrivia(first.LeadingTrivia));
    }

    /// <summary>
    /// Whether an expression can stand in for a unary <c>await …</c> without parentheses: a primary or unary expression.
    /// </summary>
    public static bool IsUnaryOrPrimary(ExpressionSyntax expression) => expression is IdentifierNameSyntax or GenericNameSyntax
        or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or LiteralExpressionSyntax
        or ThisExpressionSyntax or BaseObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax or AwaitExpressionSyntax
        or CastExpressionSyntax or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or DefaultExpressionSyntax
        or TypeOfExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
        or InterpolatedStringExpressionSyntax or TupleExpressionSyntax or PredefinedTypeSyntax or ConditionalAccessExpressionSyntax;

    /// <summary>Whether an expression may stand alone as a statement (<c>x;</c>).</summary>
    public static bool IsStatementExpression(ExpressionSyntax expression) => expression is InvocationExpressionSyntax
        or AwaitExpressionSyntax or AssignmentExpressionSyntax or BaseObjectCreationExpressionSyntax
        or PostfixUnaryExpressionSyntax
        || expression.IsKind(SyntaxKind.PreIncrementExpression) || expression.IsKind(SyntaxKind.PreDecrementExpression);

    /// <summary><c>x;</c> when x may stand alone, else <c>_ = x;</c>.</summary>
    public static ExpressionSyntax AsStatementExpression(ExpressionSyntax expression)
        => IsStatementExpression(expression)
            ? expression
            : SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                SyntaxFactory.IdentifierName("_"),
                expression.WithoutTrivia()).WithTriviaFrom(expression);

    public static ExpressionSyntax StripParentheses(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    /// <summary>The single argument of <c>Task.FromResult(x)</c>, <c>ValueTask.FromResult(x)</c>, <c>new ValueTask&lt;T&gt;(x)</c>, <c>Task.FromException(e)</c>.</summary>
    public static ExpressionSyntax? GetFactoryArgument(ExpressionSyntax factory) => StripParentheses(factory) switch
    {
        InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } call => call.ArgumentList.Arguments[0].Expression,
        BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation => creation.ArgumentList!.Arguments[0].Expression,
        _ => null,
    };

    private static SyntaxNode? GetUsingToUpgrade(InvocationExpressionSyntax blocking, AsyncCounterpart counterpart)
    {
        if (!counterpart.ResultIsAsyncDisposable || !counterpart.AwaitForEachAllowed
            || blocking.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } }
            || declaration.Variables.Count != 1)
        {
            return null;
        }

        return declaration.Parent switch
        {
            LocalDeclarationStatementSyntax local when local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) && local.AwaitKeyword.IsKind(SyntaxKind.None) => local,
            UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(SyntaxKind.None) => statement,
            _ => null,
        };
    }

    /// <summary>Marks a node the fixer formats after the rewrite.</summary>
    public static T Formatted<T>(T node)
        where T : SyntaxNode => node.WithAdditionalAnnotations(Formatter.Annotation);
}
