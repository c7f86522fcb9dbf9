using System;
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
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Rules;
using TrueAsync.Analyzers.Shared;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0004: makes a fake async function async. Every blocking call in it becomes <c>await</c> of its counterpart,
/// <c>return Task.FromResult(x)</c> becomes <c>return x</c>, <c>return Task.CompletedTask</c> becomes <c>return</c> (or goes
/// when it is last), <c>Task.FromException(e)</c> becomes <c>throw e</c>; the signature stays. In async code,
/// <c>await Task.FromResult(x)</c> becomes <c>x</c> with its blocking calls awaited.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FakeAsyncMethodFixer)), Shared]
public sealed class FakeAsyncMethodFixer : CodeFixProvider
{
    internal const string EquivalenceKey = nameof(FakeAsyncMethodFixer);

    private static readonly SyntaxAnnotation Expand = new("TrueAsync.ExpandIntoBlock");
    private static readonly SyntaxAnnotation Remove = new("TrueAsync.RemoveStatement");

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.FakeAsyncMethod);

    public override FixAllProvider GetFixAllProvider() => FakeAsyncMethodFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!IsFixable(diagnostic)
                || AsyncCounterpart.FromProperties(diagnostic.Properties) is not { } counterpart
                || FindGroup(root, diagnostic) is null
                || FindSite(root, diagnostic.Location.SourceSpan, counterpart) is null)
            {
                continue;
            }

            var isAwait = IsAwaitShape(diagnostic);
            var awaitWhat = counterpart.Kind == CounterpartKind.ForEachAsAsyncEnumerable
                ? "use 'await foreach'"
                : "await '" + counterpart.AsyncDisplay + "'";
            var title = isAwait
                ? "Await '" + counterpart.AsyncDisplay + "' instead of Task.FromResult"
                : "Make async and " + awaitWhat;
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => FixOneGroupAsync(document, diagnostic, ct), EquivalenceKey),
                diagnostic);
        }
    }

    internal static bool IsFixable(Diagnostic diagnostic)
        => diagnostic.Id == RuleIdentifiers.FakeAsyncMethod
            && diagnostic.AdditionalLocations.Count > 0
            && diagnostic.Properties.TryGetValue(FakeAsyncMethodAnalyzer.FixableProperty, out var fixable) && fixable == "true";

    internal static bool IsAwaitShape(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(FakeAsyncMethodAnalyzer.ShapeProperty, out var shape) && shape == FakeAsyncMethodAnalyzer.ShapeAwait;

    /// <summary>
    /// One diagnostic stands for its whole function: the other blocking calls of the same function are asked of the
    /// analyzer itself (over the function's span only), so that the function is made async once with all its calls awaited.
    /// </summary>
    private static async Task<Document> FixOneGroupAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var siblings = await GetDiagnosticsInSpanAsync(document, diagnostic.AdditionalLocations[0].SourceSpan, cancellationToken).ConfigureAwait(false);
        var group = siblings.Where(d => IsFixable(d) && d.AdditionalLocations[0].SourceSpan == diagnostic.AdditionalLocations[0].SourceSpan).ToList();
        if (!group.Any(d => d.Location.SourceSpan == diagnostic.Location.SourceSpan))
        {
            group.Add(diagnostic);
        }

        return await FixDocumentAsync(document, group, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ImmutableArray<Diagnostic>> GetDiagnosticsInSpanAsync(Document document, TextSpan span, CancellationToken cancellationToken)
    {
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null || tree is null)
        {
            return ImmutableArray<Diagnostic>.Empty;
        }

        var withAnalyzer = compilation.WithAnalyzers(
            ImmutableArray.Create<DiagnosticAnalyzer>(new FakeAsyncMethodAnalyzer()),
            document.Project.AnalyzerOptions);
        var model = withAnalyzer.Compilation.GetSemanticModel(tree);
        return await withAnalyzer.GetAnalyzerSemanticDiagnosticsAsync(model, span, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rewrites every function (or <c>await Task.FromResult</c>) that <paramref name="diagnostics"/> point to, each once.</summary>
    internal static async Task<Document> FixDocumentAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var rewriter = new AsyncFunctionRewriter();
        var groups = diagnostics
            .Where(IsFixable)
            .GroupBy(d => (d.AdditionalLocations[0].SourceSpan, IsAwaitShape(d)));
        foreach (var group in groups)
        {
            var groupNode = FindGroup(root, group.First());
            if (groupNode is null)
            {
                continue;
            }

            var planned = false;
            var seen = new HashSet<TextSpan>();
            foreach (var diagnostic in group)
            {
                if (!seen.Add(diagnostic.Location.SourceSpan)
                    || AsyncCounterpart.FromProperties(diagnostic.Properties) is not { } counterpart
                    || FindSite(root, diagnostic.Location.SourceSpan, counterpart) is not { } site
                    || !groupNode.Span.Contains(site.Span))
                {
                    continue;
                }

                var token = CancellationTokenFinder.Find(model, site, cancellationToken);
                if (site is ForEachStatementSyntax loop)
                {
                    rewriter.AwaitForEach(loop, counterpart, token);
                }
                else
                {
                    rewriter.AwaitBlockingCall((InvocationExpressionSyntax)site, counterpart, token);
                }

                planned = true;
            }

            if (!planned)
            {
                continue;
            }

            PlanGroup(rewriter, groupNode, model, cancellationToken);
        }

        if (rewriter.IsEmpty)
        {
            return document;
        }

        var newRoot = rewriter.Apply(root);
        var editor = await DocumentEditor.CreateAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);
        foreach (var import in rewriter.Imports.OrderBy(i => i, StringComparer.Ordinal))
        {
            AwaitRewriter.AddImport(editor, import);
        }

        return editor.GetChangedDocument();
    }

    /// <summary>
    /// The rewrite of the function itself (<c>async</c>, its returns) or of <c>await Task.FromResult(…)</c> (unwrapped), once the
    /// blocking calls in it are planned. Shared with the async twin action on TA0004 (<see cref="AsyncTwinConversion"/>), whose
    /// calls await a twin written with the rewrite.
    /// </summary>
    internal static void PlanGroup(AsyncFunctionRewriter rewriter, SyntaxNode group, SemanticModel model, CancellationToken cancellationToken)
    {
        if (group is AwaitExpressionSyntax awaitExpression)
        {
            PlanAwaitUnwrap(rewriter, awaitExpression, model, cancellationToken);
        }
        else
        {
            PlanFunction(rewriter, group, model, cancellationToken);
        }
    }

    private static SyntaxNode? FindGroup(SyntaxNode root, Diagnostic diagnostic)
        => FindGroup(root, diagnostic.AdditionalLocations[0].SourceSpan, IsAwaitShape(diagnostic));

    /// <summary>The function (or, for the await shape, the await expression) a diagnostic's additional location names.</summary>
    internal static SyntaxNode? FindGroup(SyntaxNode root, TextSpan span, bool isAwaitShape)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null && node.Span == span; node = node.Parent)
        {
            if (isAwaitShape
                ? node is AwaitExpressionSyntax
                : node is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            {
                return node;
            }
        }

        return null;
    }

    /// <summary>The blocking call at <paramref name="span"/>, or the <c>foreach</c> whose collection is there.</summary>
    private static SyntaxNode? FindSite(SyntaxNode root, TextSpan span, AsyncCounterpart counterpart)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var isLoop = counterpart.Kind == CounterpartKind.ForEachAsAsyncEnumerable;
        for (var node = root.FindNode(span, getInnermostNodeForTie: true); node is not null && node.Span == span; node = node.Parent)
        {
            if (isLoop && node.Parent is ForEachStatementSyntax loop && loop.Expression == node)
            {
                return loop;
            }

            if (!isLoop && node is InvocationExpressionSyntax invocation)
            {
                return invocation;
            }
        }

        return null;
    }

    /// <summary><c>await Task.FromResult(x)</c> → <c>x</c> (cast to the factory's type argument when the value was converted to it).</summary>
    private static void PlanAwaitUnwrap(AsyncFunctionRewriter rewriter, AwaitExpressionSyntax awaitExpression, SemanticModel model, CancellationToken cancellationToken)
    {
        var factory = AsyncFunctionRewriter.StripParentheses(awaitExpression.Expression);
        var kind = FinishedTasks.Classify(model.GetOperation(factory, cancellationToken), out var argument);
        if (kind != FinishedTaskKind.Value)
        {
            return;
        }

        var castTo = ConvertedType(argument);
        var standsAlone = awaitExpression.Parent is ExpressionStatementSyntax;
        var needsParentheses = !standsAlone && awaitExpression.Parent is not (EqualsValueClauseSyntax or ArgumentSyntax or ReturnStatementSyntax
            or ArrowExpressionClauseSyntax or AnonymousFunctionExpressionSyntax or ParenthesizedExpressionSyntax or AssignmentExpressionSyntax);
        rewriter.Add(awaitExpression, current =>
        {
            if (current is not AwaitExpressionSyntax rewritten || AsyncFunctionRewriter.GetFactoryArgument(rewritten.Expression) is not { } value)
            {
                return current;
            }

            var result = Unwrapped(value, castTo);
            if (standsAlone)
            {
                result = AsyncFunctionRewriter.AsStatementExpression(result);
            }
            else if (needsParentheses && !AsyncFunctionRewriter.IsUnaryOrPrimary(result))
            {
                result = SyntaxFactory.ParenthesizedExpression(result.WithoutTrivia());
            }

            return result.WithTriviaFrom(rewritten).WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    /// <summary>Adds <c>async</c> to the function and rewrites each of its returns.</summary>
    private static void PlanFunction(AsyncFunctionRewriter rewriter, SyntaxNode function, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = function is AnonymousFunctionExpressionSyntax
            ? model.GetSymbolInfo(function, cancellationToken).Symbol as IMethodSymbol
            : model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol;
        if (symbol is null)
        {
            return;
        }

        var returnsValue = symbol.ReturnType is INamedTypeSymbol { IsGenericType: true };
        var castValues = function is AnonymousFunctionExpressionSyntax;
        var body = function switch
        {
            MethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody?.Expression,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
            AnonymousFunctionExpressionSyntax lambda => lambda.Body,
            _ => null,
        };

        if (body is ExpressionSyntax expressionBody)
        {
            PlanExpressionBody(rewriter, expressionBody, returnsValue, castValues, model, cancellationToken);
        }
        else if (body is BlockSyntax block)
        {
            foreach (var statement in block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<ReturnStatementSyntax>())
            {
                PlanReturn(rewriter, block, statement, returnsValue, castValues, model, cancellationToken);
            }

            // Returns that became two statements are spliced into their block; a final 'return;' goes.
            foreach (var parent in block.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).OfType<BlockSyntax>())
            {
                if (parent.Statements.OfType<ReturnStatementSyntax>().Any())
                {
                    rewriter.Add(parent, Splice);
                }
            }
        }

        rewriter.MakeAsync(function);
    }

    private static void PlanExpressionBody(AsyncFunctionRewriter rewriter, ExpressionSyntax body, bool returnsValue, bool castValues, SemanticModel model, CancellationToken cancellationToken)
    {
        var kind = FinishedTasks.Classify(model.GetOperation(body, cancellationToken), out var argument);
        var castTo = castValues ? ConvertedType(argument) : null;
        rewriter.Add(body, current =>
        {
            if (kind == FinishedTaskKind.None && current is ExpressionSyntax task)
            {
                // A real task (the function blocked before it): '=> await task', for Task as for Task<T>.
                return Awaited(task);
            }

            if (current is not ExpressionSyntax rewritten || AsyncFunctionRewriter.GetFactoryArgument(rewritten) is not { } value)
            {
                return current;
            }

            ExpressionSyntax result = kind switch
            {
                FinishedTaskKind.Value when returnsValue => Unwrapped(value, castTo),
                FinishedTaskKind.Value => AsyncFunctionRewriter.AsStatementExpression(value),
                FinishedTaskKind.Faulted => SyntaxFactory.ThrowExpression(value.WithoutTrivia()),
                _ => rewritten,
            };
            return result.WithTriviaFrom(rewritten).WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    private static void PlanReturn(
        AsyncFunctionRewriter rewriter,
        BlockSyntax body,
        ReturnStatementSyntax statement,
        bool returnsValue,
        bool castValues,
        SemanticModel model,
        CancellationToken cancellationToken)
    {
        if (statement.Expression is null || model.GetOperation(statement, cancellationToken) is not IReturnOperation operation)
        {
            return;
        }

        var kind = FinishedTasks.Classify(operation.ReturnedValue, out var argument);
        var castTo = castValues ? ConvertedType(argument) : null;
        var isLast = statement.Parent == body && body.Statements.Last() == statement;
        rewriter.Add(statement, current =>
        {
            if (current is not ReturnStatementSyntax rewritten || rewritten.Expression is null)
            {
                return current;
            }

            var value = AsyncFunctionRewriter.GetFactoryArgument(rewritten.Expression);
            switch (kind)
            {
                case FinishedTaskKind.None when returnsValue:
                    return rewritten.WithExpression(Awaited(rewritten.Expression));
                case FinishedTaskKind.None:
                {
                    // 'return task;' in a Task method becomes 'await task;' (and 'return;' unless it was last).
                    var run = SyntaxFactory.ExpressionStatement(Awaited(rewritten.Expression).WithoutTrivia());
                    return isLast
                        ? run.WithTriviaFrom(rewritten)
                        : AsyncFunctionRewriter.Formatted(SyntaxFactory.Block(run, SyntaxFactory.ReturnStatement()).WithTriviaFrom(rewritten).WithAdditionalAnnotations(Expand));
                }

                case FinishedTaskKind.Value when returnsValue && value is not null:
                    return rewritten.WithExpression(Unwrapped(value, castTo).WithTriviaFrom(rewritten.Expression));
                case FinishedTaskKind.Value when value is not null:
                {
                    var run = SyntaxFactory.ExpressionStatement(AsyncFunctionRewriter.AsStatementExpression(value.WithoutTrivia()));
                    return isLast
                        ? run.WithTriviaFrom(rewritten)
                        : AsyncFunctionRewriter.Formatted(SyntaxFactory.Block(run, SyntaxFactory.ReturnStatement()).WithTriviaFrom(rewritten).WithAdditionalAnnotations(Expand));
                }

                case FinishedTaskKind.Completed:
                    return isLast && !HasComments(rewritten)
                        ? rewritten.WithAdditionalAnnotations(Remove)
                        : rewritten.WithExpression(null).WithReturnKeyword(rewritten.ReturnKeyword.WithTrailingTrivia());
                case FinishedTaskKind.DefaultValue:
                    return rewritten.WithExpression(
                        SyntaxFactory.LiteralExpression(SyntaxKind.DefaultLiteralExpression, SyntaxFactory.Token(SyntaxKind.DefaultKeyword)).WithTriviaFrom(rewritten.Expression));
                case FinishedTaskKind.Faulted when value is not null:
                    return SyntaxFactory.ThrowStatement(value.WithoutTrivia())
                        .WithThrowKeyword(SyntaxFactory.Token(SyntaxKind.ThrowKeyword).WithTriviaFrom(rewritten.ReturnKeyword))
                        .WithSemicolonToken(rewritten.SemicolonToken);
                default:
                    return rewritten;
            }
        });
    }

    /// <summary>Splices statements marked <see cref="Expand"/> into the block and drops those marked <see cref="Remove"/>.</summary>
    private static SyntaxNode Splice(SyntaxNode current)
    {
        if (current is not BlockSyntax block
            || !block.Statements.Any(s => s.HasAnnotation(Expand) || s.HasAnnotation(Remove)))
        {
            return current;
        }

        var statements = new List<StatementSyntax>();
        foreach (var statement in block.Statements)
        {
            if (statement.HasAnnotation(Remove))
            {
                continue;
            }

            if (statement is BlockSyntax inner && statement.HasAnnotation(Expand))
            {
                var first = true;
                foreach (var spliced in inner.Statements)
                {
                    statements.Add(first ? spliced.WithLeadingTrivia(inner.GetLeadingTrivia()) : spliced);
                    first = false;
                }

                continue;
            }

            statements.Add(statement);
        }

        return block.WithStatements(SyntaxFactory.List(statements));
    }

    private static bool HasComments(SyntaxNode node)
        => node.GetLeadingTrivia().Concat(node.GetTrailingTrivia()).Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia));

    /// <summary>The type a wrapped value was implicitly converted to (<c>Task.FromResult&lt;object&gt;(5)</c>), or null for none.</summary>
    private static ITypeSymbol? ConvertedType(IOperation? argument)
        => argument is IConversionOperation { IsImplicit: true, Conversion.IsIdentity: false, Type: { } type } conversion
            && conversion.Operand.Type is not null
            ? type
            : null;

    /// <summary><c>await task</c>, parenthesised where the task is not a primary expression (<c>await (c ? a : b)</c>).</summary>
    private static ExpressionSyntax Awaited(ExpressionSyntax task)
    {
        var operand = AsyncFunctionRewriter.IsUnaryOrPrimary(task) ? task.WithoutTrivia() : SyntaxFactory.ParenthesizedExpression(task.WithoutTrivia());
        return SyntaxFactory.AwaitExpression(operand).WithTriviaFrom(task).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static ExpressionSyntax Unwrapped(ExpressionSyntax value, ITypeSymbol? castTo)
    {
        if (castTo is null)
        {
            return value.WithoutTrivia();
        }

        var operand = AsyncFunctionRewriter.IsUnaryOrPrimary(value) ? value.WithoutTrivia() : SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia());
        var type = SyntaxFactory.ParseTypeName(castTo.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);
        return SyntaxFactory.CastExpression(type, operand).WithAdditionalAnnotations(Simplifier.Annotation);
    }
}
