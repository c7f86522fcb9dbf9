using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace TrueAsync.CodeFixes.Shared;

/// <summary>
/// The TA0001 rewrite (docs/architecture.md, "The path of one call site"): every site inside the delegate becomes its
/// awaited counterpart, then the rewritten delegate takes the wrapper's place in the form the planner chose
/// (<see cref="FixForm"/>, <see cref="FixTarget"/>): its expression at the <c>await</c>, its statements around the
/// statement that held the wrapper, or the counterpart's task returned directly; the enclosing function becomes
/// <c>async</c> when the plan says so.
/// </summary>
internal static class TaskRunWrapperRewriter
{
    /// <summary>Applies <paramref name="request"/> to <paramref name="document"/>.</summary>
    public static async Task<Document> RewriteAsync(Document document, TaskRunWrapperRequest request, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var token = request.TokenArgument >= 0 && request.TokenArgument < request.Invocation.ArgumentList.Arguments.Count
            ? request.Invocation.ArgumentList.Arguments[request.TokenArgument].Expression.WithoutTrivia()
            : null;

        // 1. Inside the delegate: every site becomes its awaited counterpart (or, returned directly, the bare task).
        var inner = new SyntaxEditor(request.Function, document.Project.Solution.Services);
        var direct = request.Form == FixForm.Direct;
        foreach (var site in request.Sites)
        {
            var siteToken = token ?? CancellationTokenFinder.Find(editor.SemanticModel, site.Node, cancellationToken);
            RewriteSite(inner, site, siteToken, request.ConfigureAwaitArguments, direct);
        }

        var function = (AnonymousFunctionExpressionSyntax)inner.GetChangedRoot();

        // 2. Outside: the rewritten delegate body takes the wrapper's place.
        switch (request.Form, request.Target)
        {
            case (FixForm.Expression, FixTarget.Await):
                editor.ReplaceNode(request.Await!, Fit(GetExpression(function), request.Await!).WithTriviaFrom(request.Await!));
                break;
            case (FixForm.Expression or FixForm.Direct, FixTarget.Return):
                ReplaceReturned(editor, request, GetExpression(function));
                break;
            case (FixForm.Block, _):
                InlineBlock(editor, request, function);
                break;
        }

        if (request.MakeAsync && request.EnclosingFunction is { } enclosing)
        {
            editor.ReplaceNode(enclosing, (current, generator) => MakeAsync(current, generator));
        }

        foreach (var namespaceName in request.Sites.Select(s => s.Counterpart?.ImportNamespace).Distinct())
        {
            AwaitRewriter.AddImport(editor, namespaceName);
        }

        return editor.GetChangedDocument();
    }

    private static void RewriteSite(SyntaxEditor editor, TaskRunWrapperRequest.Site site, ExpressionSyntax? token, ArgumentListSyntax? configureAwait, bool direct)
    {
        switch (site.Kind)
        {
            case "Call" when site.Counterpart is { } counterpart && site.Node is InvocationExpressionSyntax call:
                if (direct)
                {
                    editor.ReplaceNode(call, AwaitRewriter.CreateAsyncInvocation(call, counterpart, token).WithTriviaFrom(call).WithAdditionalAnnotations(Formatter.Annotation));
                }
                else if (configureAwait is null)
                {
                    AwaitRewriter.ReplaceBlockingCall(editor, call, counterpart, token);
                }
                else
                {
                    editor.ReplaceNode(call, CreateAwait(AwaitRewriter.CreateAsyncInvocation(call, counterpart, token), call, configureAwait, counterpart.ResultCast));
                }

                break;
            case "ForEach" when site.Counterpart is { } counterpart && site.Node is ForEachStatementSyntax loop:
                editor.ReplaceNode(loop, AwaitRewriter.CreateAwaitForEach(loop, counterpart, token));
                break;
            case "Wait":
                editor.ReplaceNode(site.Node, (current, _) =>
                {
                    var awaitable = GetWaitedTask(current) ?? site.Awaitable;
                    return direct
                        ? awaitable.WithTriviaFrom(current)
                        : CreateAwait(awaitable, (ExpressionSyntax)site.Node, configureAwait, resultCast: null).WithTriviaFrom(current);
                });
                break;
            case "AlreadyAsync" when !direct:
                editor.ReplaceNode(site.Node, (current, _) => CreateAwait((ExpressionSyntax)current, (ExpressionSyntax)site.Node, configureAwait, resultCast: null).WithTriviaFrom(current));
                break;
        }
    }

    /// <summary><c>await x[.ConfigureAwait(…)]</c>, cast back and parenthesised as the replaced expression's place needs.</summary>
    private static ExpressionSyntax CreateAwait(ExpressionSyntax awaitable, ExpressionSyntax replaced, ArgumentListSyntax? configureAwait, string? resultCast)
    {
        var operand = awaitable.WithoutTrivia();
        if (configureAwait is not null)
        {
            operand = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, operand, SyntaxFactory.IdentifierName("ConfigureAwait")),
                configureAwait.WithoutTrivia());
        }

        ExpressionSyntax result = SyntaxFactory.AwaitExpression(operand);
        if (resultCast is not null)
        {
            result = SyntaxFactory.CastExpression(SyntaxFactory.ParseTypeName(resultCast).WithAdditionalAnnotations(Simplifier.Annotation), result);
        }

        if (AwaitRewriter.NeedsParentheses(replaced))
        {
            result = SyntaxFactory.ParenthesizedExpression(result);
        }

        return result.WithTriviaFrom(replaced).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The task a wait blocks on, read from the wait's shape: <c>t.Result</c>, <c>t.Wait()</c>, <c>t.GetAwaiter().GetResult()</c>.</summary>
    internal static ExpressionSyntax? GetWaitedTask(SyntaxNode wait) => wait switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } waitCall } => waitCall.Expression,
        InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax
            {
                Name.Identifier.ValueText: "GetResult",
                Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter },
            },
        } => getAwaiter.Expression,
        _ => null,
    };

    private static ExpressionSyntax GetExpression(AnonymousFunctionExpressionSyntax function)
    {
        if (function.ExpressionBody is { } expression)
        {
            return expression;
        }

        return ((ReturnStatementSyntax)function.Block!.Statements[0]).Expression!;
    }

    /// <summary>The expression, parenthesised when a lower-precedence expression could not stand where <paramref name="replaced"/> stood.</summary>
    private static ExpressionSyntax Fit(ExpressionSyntax expression, ExpressionSyntax replaced)
    {
        expression = expression.WithoutTrivia();
        var safeHere = replaced.Parent is ExpressionStatementSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax
            or ArgumentSyntax or ParenthesizedExpressionSyntax or InterpolationSyntax or InitializerExpressionSyntax
            || (replaced.Parent is AssignmentExpressionSyntax assignment && assignment.Right == replaced);
        if (safeHere || expression is AwaitExpressionSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax or ElementAccessExpressionSyntax
            or IdentifierNameSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax or CastExpressionSyntax or PrefixUnaryExpressionSyntax
            or ObjectCreationExpressionSyntax or ThisExpressionSyntax)
        {
            return expression.WithAdditionalAnnotations(Formatter.Annotation);
        }

        return SyntaxFactory.ParenthesizedExpression(expression).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary><c>return Task.Run(() =&gt; e)</c>: <c>return e'</c>, or the statement <c>e';</c> for a non-generic task.</summary>
    private static void ReplaceReturned(SyntaxEditor editor, TaskRunWrapperRequest request, ExpressionSyntax expression)
    {
        var replaced = request.ReturnedExpression;
        if (request.VoidTask && request.Form != FixForm.Direct && replaced.Parent is ReturnStatementSyntax statement)
        {
            editor.ReplaceNode(statement, SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
            return;
        }

        editor.ReplaceNode(replaced, Fit(expression, replaced).WithTriviaFrom(replaced));
    }

    private static void InlineBlock(SyntaxEditor editor, TaskRunWrapperRequest request, AnonymousFunctionExpressionSyntax function)
    {
        var holder = request.Statement!;
        var statements = function.Block!.Statements.ToList();
        ExpressionSyntax? result = null;
        var resultTrivia = holder.GetLeadingTrivia();
        if (statements.Count > 0 && statements[statements.Count - 1] is ReturnStatementSyntax last)
        {
            result = last.Expression?.WithoutTrivia();
            statements.RemoveAt(statements.Count - 1);
            if (statements.Count > 0)
            {
                // A blank line or comment before the lambda's return stays before the statement that takes its value.
                resultTrivia = last.GetLeadingTrivia();
            }
        }

        // Statements written on one line in the lambda get a line each; the formatter indents them.
        var moved = statements.Select(s => OnItsOwnLine(s).WithAdditionalAnnotations(Formatter.Annotation)).ToList();
        StatementSyntax? replacement = request.Target switch
        {
            FixTarget.AwaitStatement => result is null ? null : Discard(result, holder),
            FixTarget.AwaitDeclaration or FixTarget.AwaitReturn => holder.ReplaceNode(request.Await!, Fit(result!, request.Await!).WithTriviaFrom(request.Await!)),
            FixTarget.Return when request.VoidTask => IsLastStatementOfFunction(holder) ? null : SyntaxFactory.ReturnStatement().WithTriviaFrom(holder),
            FixTarget.Return => holder.ReplaceNode(request.ReturnedExpression, Fit(result!, request.ReturnedExpression).WithTriviaFrom(request.ReturnedExpression)),
            _ => null,
        };

        if (replacement is not null)
        {
            moved.Add(replacement.WithLeadingTrivia(resultTrivia).WithAdditionalAnnotations(Formatter.Annotation));
        }

        if (moved.Count > 0)
        {
            // The first statement takes the place of the holder: its indentation and the comments before it.
            moved[0] = moved[0].WithLeadingTrivia(holder.GetLeadingTrivia().AddRange(moved[0].GetLeadingTrivia().SkipWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia))));
            moved[moved.Count - 1] = moved[moved.Count - 1].WithTrailingTrivia(holder.GetTrailingTrivia());
        }

        if (holder.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            if (moved.Count == 0)
            {
                editor.RemoveNode(holder);
                return;
            }

            editor.InsertBefore(holder, moved.Take(moved.Count - 1));
            editor.ReplaceNode(holder, moved[moved.Count - 1]);
            return;
        }

        // An embedded statement (if (c) await Task.Run(…);) becomes a block.
        editor.ReplaceNode(holder, SyntaxFactory.Block(moved).WithTriviaFrom(holder).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static StatementSyntax OnItsOwnLine(StatementSyntax statement)
    {
        var trailing = statement.GetTrailingTrivia();
        if (!trailing.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            statement = statement.WithTrailingTrivia(trailing.Where(t => !t.IsKind(SyntaxKind.WhitespaceTrivia)).Append(SyntaxFactory.ElasticCarriageReturnLineFeed));
        }

        return statement;
    }

    /// <summary>A value nobody reads: a call or await stays a statement, anything else is discarded with <c>_ =</c> (or dropped when it is a name).</summary>
    private static StatementSyntax? Discard(ExpressionSyntax value, StatementSyntax holder)
    {
        if (value is IdentifierNameSyntax or LiteralExpressionSyntax or ThisExpressionSyntax)
        {
            return null;
        }

        var expression = value is InvocationExpressionSyntax or AwaitExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax
            ? value
            : SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName("_"), value);
        return SyntaxFactory.ExpressionStatement(expression).WithTriviaFrom(holder);
    }

    private static bool IsLastStatementOfFunction(StatementSyntax statement)
        => statement.Parent is BlockSyntax block && block.Statements.LastOrDefault() == statement
            && block.Parent is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax;

    private static SyntaxNode MakeAsync(SyntaxNode function, SyntaxGenerator generator)
    {
        switch (function)
        {
            case AnonymousFunctionExpressionSyntax lambda:
                var asyncToken = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithLeadingTrivia(lambda.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space);
                return lambda.WithoutLeadingTrivia() switch
                {
                    ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithModifiers(parenthesized.Modifiers.Insert(0, asyncToken)),
                    SimpleLambdaExpressionSyntax simple => simple.WithModifiers(simple.Modifiers.Insert(0, asyncToken)),
                    AnonymousMethodExpressionSyntax anonymous => anonymous.WithModifiers(anonymous.Modifiers.Insert(0, asyncToken)),
                    var other => other,
                };
            default:
                return generator.WithModifiers(function, generator.GetModifiers(function).WithAsync(true));
        }
    }
}
