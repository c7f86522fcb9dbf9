using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using TrueAsync.Analyzers;
using TrueAsync.Analyzers.Blocking;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Rules;
using TrueAsync.CodeFixes.Shared;

namespace TrueAsync.CodeFixes.Rules;

/// <summary>
/// TA0001 fix: removes the <c>Task.Run</c>/<c>StartNew</c> wrapper and awaits the true async API in its place,
/// in the form <see cref="TaskRunWrapperFixPlanner"/> chooses (<see cref="FixForm"/>, <see cref="FixTarget"/>): the
/// lambda's expression or its statements move into the enclosing async code, or a non-async function returns the
/// counterpart's task directly or becomes <c>async</c>. The sites come from the diagnostic
/// (<see cref="TaskRunWrapperProperties"/>); no fix is offered when no form keeps the meaning.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskRunWrapperFixer)), Shared]
public sealed class TaskRunWrapperFixer : CodeFixProvider
{
    private const string EquivalenceKey = nameof(TaskRunWrapperFixer);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.TaskRunAroundBlockingCall);

    // A function gets at most one rewrite that makes it async (the analyzer requires its only return to be the
    // wrapper), so fixes never interact beyond identical using directives, which the batch fixer merges.
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var semanticModel = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || semanticModel is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Plan(root, semanticModel, diagnostic, context.Document.Project.AnalyzerOptions, context.CancellationToken) is not { } plan)
            {
                continue;
            }

            var request = Request.TryCreate(root, diagnostic, plan);
            if (request is null)
            {
                continue;
            }

            var title = request.Sites.FirstOrDefault(s => s.Counterpart is not null)?.Counterpart is { } counterpart
                ? "Remove the " + RunnerName(request.Invocation) + " wrapper and await '" + counterpart.AsyncDisplay + "'"
                : "Remove the " + RunnerName(request.Invocation) + " wrapper and await the task";
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => FixAsync(context.Document, request, ct), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>
    /// Classifies the wrapper again, with the same engine the analyzer used, and plans the rewrite; null when the
    /// diagnostic carries no sites or no form keeps the meaning.
    /// </summary>
    private static FixPlan? Plan(SyntaxNode root, SemanticModel semanticModel, Diagnostic diagnostic, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(TaskRunWrapperProperties.SiteCount)
            || diagnostic.AdditionalLocations.Count < 2
            || Request.Find(root, diagnostic.AdditionalLocations[0]) is not InvocationExpressionSyntax invocationSyntax
            || semanticModel.GetOperation(invocationSyntax, cancellationToken) is not IInvocationOperation invocation)
        {
            return null;
        }

        var engine = TrueAsyncEngine.GetOrCreate(semanticModel.Compilation, options);
        if (engine.Waits is null || engine.Offloads?.Classify(invocation) is not { NeedsOwnMethodSummaries: false } wrapper)
        {
            return null;
        }

        // The member whose body holds the wrapper, as the analyzer's operation action saw it.
        IOperation rootOperation = invocation;
        while (rootOperation.Parent is { } parent)
        {
            rootOperation = parent;
        }

        // A method body's root is the declaration itself; an arrow or initializer is inside the member it belongs to.
        var containingSymbol = semanticModel.GetDeclaredSymbol(rootOperation.Syntax, cancellationToken)
            ?? semanticModel.GetEnclosingSymbol(rootOperation.Syntax.SpanStart, cancellationToken);
        return new TaskRunWrapperFixPlanner(engine.Waits).PlanFix(wrapper, containingSymbol);
    }

    private static string RunnerName(InvocationExpressionSyntax invocation) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Run" } => "Task.Run",
        _ => "StartNew",
    };

    private static async Task<Document> FixAsync(Document document, Request request, CancellationToken cancellationToken)
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

    private static void RewriteSite(SyntaxEditor editor, Site site, ExpressionSyntax? token, ArgumentListSyntax? configureAwait, bool direct)
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
    private static ExpressionSyntax? GetWaitedTask(SyntaxNode wait) => wait switch
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
    private static void ReplaceReturned(SyntaxEditor editor, Request request, ExpressionSyntax expression)
    {
        var replaced = request.ReturnedExpression;
        if (request.VoidTask && request.Form != FixForm.Direct && replaced.Parent is ReturnStatementSyntax statement)
        {
            editor.ReplaceNode(statement, SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
            return;
        }

        editor.ReplaceNode(replaced, Fit(expression, replaced).WithTriviaFrom(replaced));
    }

    private static void InlineBlock(SyntaxEditor editor, Request request, AnonymousFunctionExpressionSyntax function)
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

    /// <summary>Everything the analyzer recorded and the planner chose, resolved against the current tree; null when anything no longer fits.</summary>
    private sealed class Request
    {
        private Request(InvocationExpressionSyntax invocation, AnonymousFunctionExpressionSyntax function, FixForm form, FixTarget target)
        {
            Invocation = invocation;
            Function = function;
            Form = form;
            Target = target;
            ReturnedExpression = invocation;
        }

        public InvocationExpressionSyntax Invocation { get; }

        public AnonymousFunctionExpressionSyntax Function { get; }

        public FixForm Form { get; }

        public FixTarget Target { get; }

        public bool MakeAsync { get; private set; }

        public bool VoidTask { get; private set; }

        public int TokenArgument { get; private set; } = -1;

        public List<Site> Sites { get; } = new();

        /// <summary>The <c>await Task.Run(…)[.ConfigureAwait(…)]</c> expression, for the await targets.</summary>
        public AwaitExpressionSyntax? Await { get; private set; }

        /// <summary>The arguments of <c>.ConfigureAwait(…)</c> on the wrapper, carried to every await the fix writes.</summary>
        public ArgumentListSyntax? ConfigureAwaitArguments { get; private set; }

        /// <summary>What a non-async function returns: the wrapper, or a parenthesised/cast wrapper around it.</summary>
        public ExpressionSyntax ReturnedExpression { get; private set; }

        /// <summary>The statement that holds the wrapper, for the block forms.</summary>
        public StatementSyntax? Statement { get; private set; }

        public SyntaxNode? EnclosingFunction { get; private set; }

        public static Request? TryCreate(SyntaxNode root, Diagnostic diagnostic, FixPlan plan)
        {
            var properties = diagnostic.Properties;
            if (!int.TryParse(Get(properties, TaskRunWrapperProperties.SiteCount), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
                || diagnostic.AdditionalLocations.Count != 2 + (2 * count)
                || Find(root, diagnostic.AdditionalLocations[0]) is not InvocationExpressionSyntax invocation
                || Find(root, diagnostic.AdditionalLocations[1]) is not AnonymousFunctionExpressionSyntax function
                || !invocation.Span.Contains(function.Span))
            {
                return null;
            }

            var request = new Request(invocation, function, plan.Form, plan.Target)
            {
                MakeAsync = plan.MakeAsync,
                VoidTask = plan.VoidTask,
            };
            if (int.TryParse(Get(properties, TaskRunWrapperProperties.TokenArgument), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tokenArgument))
            {
                request.TokenArgument = tokenArgument;
            }

            for (var i = 0; i < count; i++)
            {
                var node = Find(root, diagnostic.AdditionalLocations[2 + (2 * i)]);
                var awaitable = Find(root, diagnostic.AdditionalLocations[3 + (2 * i)]) as ExpressionSyntax;
                var (kind, counterpartProperties) = TaskRunWrapperProperties.ReadSite(properties, i);
                if (node is null || kind is null || !function.Span.Contains(node.Span))
                {
                    return null;
                }

                var counterpart = counterpartProperties.IsEmpty ? null : AsyncCounterpart.FromProperties(counterpartProperties);
                if ((kind is "Call" or "ForEach" && counterpart is null)
                    || (kind == "Wait" && (awaitable is null || GetWaitedTask(node) is null)))
                {
                    return null;
                }

                request.Sites.Add(new Site(kind, node, awaitable!, counterpart));
            }

            return request.ResolveContext() ? request : null;
        }

        private bool ResolveContext()
        {
            // The wrapper's value, seen from outside: Task.Run(…)[.ConfigureAwait(…)], maybe awaited.
            ExpressionSyntax outer = Invocation;
            if (outer.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure
                && configure.Parent is InvocationExpressionSyntax configureCall)
            {
                ConfigureAwaitArguments = configureCall.ArgumentList;
                outer = configureCall;
            }

            if (Target != FixTarget.Return)
            {
                if (outer.Parent is not AwaitExpressionSyntax awaitExpression)
                {
                    return false;
                }

                Await = awaitExpression;
                if (Target != FixTarget.Await)
                {
                    Statement = awaitExpression.FirstAncestorOrSelf<StatementSyntax>();
                    if (Statement is null)
                    {
                        return false;
                    }
                }

                return Form != FixForm.Block || Function.Block is not null;
            }

            ConfigureAwaitArguments = null;
            ReturnedExpression = Invocation;
            Statement = Invocation.Parent as ReturnStatementSyntax;
            if (MakeAsync)
            {
                EnclosingFunction = FindFunction(Invocation);
                if (EnclosingFunction is null)
                {
                    return false;
                }
            }

            return Form != FixForm.Block || (Function.Block is not null && Statement is not null);
        }

        private static SyntaxNode? FindFunction(SyntaxNode node)
        {
            foreach (var ancestor in node.Ancestors())
            {
                switch (ancestor)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MethodDeclarationSyntax:
                        return ancestor;
                    case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax:
                        return null;
                }
            }

            return null;
        }

        internal static SyntaxNode? Find(SyntaxNode root, Location location)
        {
            if (!location.IsInSource || !root.FullSpan.Contains(location.SourceSpan))
            {
                return null;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            while (node is not null && node.Span != location.SourceSpan)
            {
                node = node.Parent;
            }

            return node is ArgumentSyntax argument ? argument.Expression : node;
        }

        private static string? Get(ImmutableDictionary<string, string?> properties, string key)
            => properties.TryGetValue(key, out var value) ? value : null;
    }

    private sealed class Site
    {
        public Site(string kind, SyntaxNode node, ExpressionSyntax awaitable, AsyncCounterpart? counterpart)
        {
            Kind = kind;
            Node = node;
            Awaitable = awaitable;
            Counterpart = counterpart;
        }

        public string Kind { get; }

        public SyntaxNode Node { get; }

        public ExpressionSyntax Awaitable { get; }

        public AsyncCounterpart? Counterpart { get; }
    }
}
