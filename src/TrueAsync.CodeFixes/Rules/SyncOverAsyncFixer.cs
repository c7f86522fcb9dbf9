using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Analyzers.Shared;
using TrueAsync.CodeFixes.Shared;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0002: replaces a blocking wait with <c>await</c> in async code: <c>t.Result</c> → <c>await t</c>,
/// <c>t.Wait(token)</c> → <c>await t.WaitAsync(token)</c>, <c>Task.WaitAll</c> → <c>await Task.WhenAll</c>,
/// <c>Task.WaitAny</c> → <c>await Task.WhenAny</c>; in a synchronous minimal-API route handler the lambda becomes
/// <c>async</c> with it. The analyzer decides which rewrite is safe; the fixer only applies it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncOverAsyncFixer)), Shared]
public sealed class SyncOverAsyncFixer : CodeFixProvider
{
    private const string EquivalenceKey = nameof(SyncOverAsyncFixer) + ".Await";

    // Waits nest (a.Result.M(b.Result)): one pass over the document rewrites inner waits inside outer ones,
    // where the batch fixer would drop overlapping edits.
    private static readonly FixAllProvider FixAll = FixAllProvider.Create(
        async (context, document, diagnostics) => await ApplyAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.SyncOverAsync);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(SyncOverAsyncAnalyzer.FixProperty, out var fix) || fix is null
                || FindWait(root, diagnostic.Location.SourceSpan) is not { } wait
                || Rewrite(wait, fix, wait) is null)
            {
                continue;
            }

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    diagnostic.Properties.ContainsKey(SyncOverAsyncAnalyzer.MakeHandlerAsyncProperty) ? "Make the route handler async: " + Title(fix) : Title(fix),
                    ct => ApplyAsync(document, ImmutableArray.Create(diagnostic), ct), EquivalenceKey),
                diagnostic);
        }
    }

    private static string Title(string fix) => fix switch
    {
        SyncOverAsyncAnalyzer.FixAwaitWaitAsync => "Use 'await' with 'WaitAsync'",
        SyncOverAsyncAnalyzer.FixAwaitWhenAll => "Use 'await Task.WhenAll'",
        SyncOverAsyncAnalyzer.FixAwaitWhenAny or SyncOverAsyncAnalyzer.FixAwaitWhenAnyIndex => "Use 'await Task.WhenAny'",
        _ => "Use 'await'",
    };

    private static async Task<Document> ApplyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var fixes = new Dictionary<SyntaxNode, string>();
        var handlers = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(SyncOverAsyncAnalyzer.FixProperty, out var fix) && fix is not null
                && FindWait(root, diagnostic.Location.SourceSpan) is { } wait)
            {
                if (diagnostic.Properties.ContainsKey(SyncOverAsyncAnalyzer.MakeHandlerAsyncProperty))
                {
                    // A wait in a minimal-API route handler: the analyzer checked that the lambda can become async.
                    if (AsyncContext.GetEnclosingFunction(wait) is not AnonymousFunctionExpressionSyntax handler)
                    {
                        continue;
                    }

                    handlers.Add(handler);
                }

                fixes[wait] = fix;
            }
        }

        if (fixes.Count == 0)
        {
            return document;
        }

        // The callback gets each node with the nodes inside it already rewritten (a handler after its waits); the
        // original decides the parentheses.
        var newRoot = root.ReplaceNodes(
            fixes.Keys.Concat(handlers),
            (original, rewritten) => fixes.TryGetValue(original, out var fix)
                ? Rewrite((ExpressionSyntax)rewritten, fix, (ExpressionSyntax)original) ?? rewritten
                : AsyncFunctionRewriter.AddAsyncModifier(rewritten));
        return document.WithSyntaxRoot(newRoot);
    }

    private static ExpressionSyntax? FindWait(SyntaxNode root, TextSpan span)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        return root.FindNode(span, getInnermostNodeForTie: true) is ExpressionSyntax node && node.Span == span ? node : null;
    }

    /// <summary>The replacement for <paramref name="wait"/>, or null when its shape is not the expected one.</summary>
    private static ExpressionSyntax? Rewrite(ExpressionSyntax wait, string fix, ExpressionSyntax original)
    {
        ExpressionSyntax? replacement = fix switch
        {
            SyncOverAsyncAnalyzer.FixAwait => AwaitOf(AwaitedOperand(wait)),
            SyncOverAsyncAnalyzer.FixAwaitWaitAsync => AwaitOf(Renamed(wait, "Wait", "WaitAsync")),
            SyncOverAsyncAnalyzer.FixAwaitWhenAll => AwaitOf(Renamed(wait, "WaitAll", "WhenAll")),
            SyncOverAsyncAnalyzer.FixAwaitWhenAny => AwaitOf(Renamed(wait, "WaitAny", "WhenAny")),
            SyncOverAsyncAnalyzer.FixAwaitWhenAnyIndex => IndexOfWhenAny(wait),
            _ => null,
        };

        if (replacement is null)
        {
            return null;
        }

        if (replacement is AwaitExpressionSyntax && NeedsParentheses(original))
        {
            replacement = ParenthesizedExpression(replacement);
        }

        return replacement.WithTriviaFrom(wait).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary><c>X</c> in <c>X.Result</c>, <c>X.Wait()</c> and <c>X.GetAwaiter().GetResult()</c>.</summary>
    private static ExpressionSyntax? AwaitedOperand(ExpressionSyntax wait) => wait switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result.Expression,
        InvocationExpressionSyntax
        {
            ArgumentList.Arguments.Count: 0,
            Expression: MemberAccessExpressionSyntax
            {
                Name.Identifier.ValueText: "GetResult",
                Expression: InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter,
                },
            },
        } => getAwaiter.Expression,
        InvocationExpressionSyntax
        {
            ArgumentList.Arguments.Count: 0,
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } waitCall,
        } => waitCall.Expression,
        _ => null,
    };

    /// <summary>The same call with the method name <paramref name="from"/> swapped for <paramref name="to"/>.</summary>
    private static ExpressionSyntax? Renamed(ExpressionSyntax wait, string from, string to)
    {
        if (wait is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        return invocation.Expression switch
        {
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax name } access when name.Identifier.ValueText == from
                => invocation.WithExpression(access.WithName(name.WithIdentifier(Identifier(name.Identifier.LeadingTrivia, to, name.Identifier.TrailingTrivia)))),
            IdentifierNameSyntax name when name.Identifier.ValueText == from
                => invocation.WithExpression(name.WithIdentifier(Identifier(name.Identifier.LeadingTrivia, to, name.Identifier.TrailingTrivia))),
            _ => null,
        };
    }

    /// <summary><c>Task.WaitAny(tasks)</c> → <c>Array.IndexOf(tasks, await Task.WhenAny(tasks))</c>.</summary>
    private static ExpressionSyntax? IndexOfWhenAny(ExpressionSyntax wait)
    {
        if (wait is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
            || Renamed(wait, "WaitAny", "WhenAny") is not { } whenAny
            || AwaitOf(whenAny) is not { } awaited)
        {
            return null;
        }

        var tasks = invocation.ArgumentList.Arguments[0].Expression;
        var array = ParseName("global::System.Array").WithAdditionalAnnotations(Simplifier.Annotation);
        return InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, array, IdentifierName("IndexOf")),
            ArgumentList(SeparatedList(new[] { Argument(tasks.WithoutTrivia()), Argument(awaited) })));
    }

    private static AwaitExpressionSyntax? AwaitOf(ExpressionSyntax? operand)
        => operand is null ? null : AwaitExpression(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space), operand.WithoutTrivia());

    /// <summary>Where <c>await x</c> must be parenthesised: as the receiver of <c>.</c>, <c>?.</c>, <c>[…]</c>, <c>(…)</c>, <c>!</c> or <c>++</c>.</summary>
    private static bool NeedsParentheses(ExpressionSyntax original) => original.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression == original,
        ConditionalAccessExpressionSyntax access => access.Expression == original,
        ElementAccessExpressionSyntax element => element.Expression == original,
        InvocationExpressionSyntax invocation => invocation.Expression == original,
        PostfixUnaryExpressionSyntax => true,
        _ => false,
    };
}
