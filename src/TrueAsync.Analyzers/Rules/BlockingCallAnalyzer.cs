using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Rules;

/// <summary>
/// TA0003: a blocking call inside an <c>async</c> method, lambda or local function where a true async API
/// exists (<c>db.SaveChanges()</c> → <c>await db.SaveChangesAsync()</c>), and <c>foreach</c> over an EF query.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.BlockingCallInAsyncCode,
        title: "Blocking call in async code where a true async API exists",
        messageFormat: "'{0}' blocks on {1}; use '{2}'",
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A synchronous I/O call inside async code holds a thread-pool thread for the whole wait. Await the asynchronous counterpart instead, so the thread is released while the I/O is in flight.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingCallInAsyncCode));

    /// <summary>A call to an own method that blocks through its body (see <see cref="OwnMethodCallSites"/>): known at compilation end.</summary>
    internal static readonly DiagnosticDescriptor OwnMethodRule = new(
        id: RuleIdentifiers.BlockingCallInAsyncCode,
        title: "Blocking call in async code where a true async API exists",
        messageFormat: "{0}; '{1}' has no async counterpart to await",
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A synchronous I/O call inside async code holds a thread-pool thread for the whole wait. Await the asynchronous counterpart instead, so the thread is released while the I/O is in flight.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingCallInAsyncCode),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>A call to a method the user declared blocking without a counterpart (<c>trueasync.blocking_methods</c>): no fix.</summary>
    internal static readonly DiagnosticDescriptor DeclaredBlockingRule = new(
        id: RuleIdentifiers.BlockingCallInAsyncCode,
        title: "Blocking call in async code where a true async API exists",
        messageFormat: "'{0}' blocks on {1} (trueasync.blocking_methods) and has no async counterpart to await",
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A synchronous I/O call inside async code holds a thread-pool thread for the whole wait. Await the asynchronous counterpart instead, so the thread is released while the I/O is in flight.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingCallInAsyncCode));

    /// <summary>
    /// LINQ to objects over an EF query (<c>db.Orders.Where(isOverdue).ToList()</c> with a <c>Func</c>): the query is read
    /// synchronously, then filtered in memory. No fix: the filter would have to become an expression EF can translate.
    /// </summary>
    internal static readonly DiagnosticDescriptor InMemoryRule = new(
        id: RuleIdentifiers.BlockingCallInAsyncCode,
        title: "Blocking call in async code where a true async API exists",
        messageFormat: "'{0}' reads the EF Core query synchronously: after '{1}' the query runs as LINQ to objects, so every row it selects is loaded and then filtered in memory; keep the operators on the IQueryable (an Expression<Func<…>> filter) and await '{2}'",
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An Enumerable operator (AsEnumerable(), or Where/Count/Any with a Func instead of an expression) on an EF Core query turns it into LINQ to objects: the whole query is read synchronously on the calling thread, then filtered in memory. Keep the query an IQueryable with expression filters and await the EF Core async operator.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingCallInAsyncCode));

    /// <summary>
    /// An EF query returned by an own method and materialised here (<c>repo.Query().ToList()</c>, see <see cref="EscapedQuerySites"/>):
    /// known at compilation end, without a fix.
    /// </summary>
    internal static readonly DiagnosticDescriptor EscapedQueryRule = new(
        id: RuleIdentifiers.BlockingCallInAsyncCode,
        title: "Blocking call in async code where a true async API exists",
        messageFormat: "'{0}' runs the EF Core query that '{1}' returns, synchronously; {2}",
        category: "Performance",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A synchronous I/O call inside async code holds a thread-pool thread for the whole wait. Await the asynchronous counterpart instead, so the thread is released while the I/O is in flight.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BlockingCallInAsyncCode),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, OwnMethodRule, DeclaredBlockingRule, InMemoryRule, EscapedQueryRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not analyzed, so nothing to filter: docs/architecture.md, "Generated code".
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            var engine = TrueAsyncEngine.ForRule(start, collectOwnMethods: true);
            var ownCalls = new OwnMethodCallSites(engine, RuleIdentifiers.BlockingCallInAsyncCode);
            var escapedQueries = new EscapedQuerySites(engine, RuleIdentifiers.BlockingCallInAsyncCode);
            var state = new CompilationState(engine, ownCalls, escapedQueries);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeLoop, OperationKind.Loop);
            start.RegisterCompilationEndAction(end =>
            {
                ownCalls.Report(end, OwnMethodRule);
                escapedQueries.Report(end, EscapedQueryRule);
            });
        });
    }

    private sealed class CompilationState
    {
        private const string RuleId = RuleIdentifiers.BlockingCallInAsyncCode;

        private readonly SiteClassifier classifier;
        private readonly BlockingCallModel model;
        private readonly OwnMethodCallSites ownCalls;
        private readonly EscapedQuerySites escapedQueries;

        public CompilationState(TrueAsyncEngine engine, OwnMethodCallSites ownCalls, EscapedQuerySites escapedQueries)
        {
            classifier = engine.Classifier;
            model = engine.Model;
            this.ownCalls = ownCalls;
            this.escapedQueries = escapedQueries;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.Syntax is not InvocationExpressionSyntax syntax)
            {
                return;
            }

            if (!model.MightHaveCounterpart(invocation.TargetMethod))
            {
                // An own method without an async twin may still block through its body: decided at compilation end.
                // The per-method answer (cached) goes before the walk up the tree that IsInAsyncCode does.
                if (ownCalls.MayDefer(invocation.TargetMethod) && classifier.IsOwnedByBlockingCallRule(invocation))
                {
                    ownCalls.TryDefer(invocation, GetSpan(syntax));
                }
                else if (model.IsDeclaredBlocking(invocation, RuleId) && classifier.IsOwnedByBlockingCallRule(invocation))
                {
                    var method = invocation.TargetMethod;
                    context.ReportDiagnostic(Diagnostic.Create(DeclaredBlockingRule, GetLocation(syntax), method.Name, model.GetLibraryLabel(method)));
                }

                return;
            }

            // await Task.FromResult(blocking()) is TA0004's, a call inside a reported offload TA0001's: the classifier decides.
            // The place is asked first: most candidate calls (Read, Write, ToList) are in synchronous code.
            if (!classifier.IsOwnedByBlockingCallRule(invocation))
            {
                return;
            }

            if (!model.TryGetCounterpart(invocation, RuleId, out var counterpart))
            {
                // repo.Query().ToList(): an EF query an own method returns, known at compilation end.
                escapedQueries.TryDefer(invocation, GetLocation(syntax));
                return;
            }

            Report(context, GetLocation(syntax), counterpart);
        }

        private static Location GetLocation(InvocationExpressionSyntax syntax) => Location.Create(syntax.SyntaxTree, GetSpan(syntax));

        /// <summary>From the method's name to the end of the call: <c>db.SaveChanges()</c> is reported at <c>SaveChanges()</c>.</summary>
        private static TextSpan GetSpan(InvocationExpressionSyntax syntax)
        {
            var name = syntax.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                SimpleNameSyntax simple => simple,
                _ => null,
            };
            return name is null ? syntax.Span : TextSpan.FromBounds(name.SpanStart, syntax.Span.End);
        }

        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: false } loop
                || loop.Syntax is not ForEachStatementSyntax syntax)
            {
                return;
            }

            var span = TextSpan.FromBounds(syntax.ForEachKeyword.SpanStart, syntax.CloseParenToken.Span.End);
            if (!model.TryGetForEachCounterpart(loop, RuleId, out var counterpart))
            {
                // foreach (var o in repo.Query()): an EF query an own method returns, known at compilation end.
                if (escapedQueries.MayComeFromOwnQuery(loop) && classifier.IsOwnedByBlockingCallRule(loop))
                {
                    escapedQueries.TryDefer(loop, Location.Create(syntax.SyntaxTree, span));
                }

                return;
            }

            if (!classifier.IsOwnedByBlockingCallRule(loop))
            {
                return;
            }

            Report(context, Location.Create(syntax.SyntaxTree, span), counterpart);
        }

        private static void Report(OperationAnalysisContext context, Location location, AsyncCounterpart counterpart)
            => context.ReportDiagnostic(counterpart.InMemoryFrom is { } inMemoryFrom
                ? Diagnostic.Create(InMemoryRule, location, counterpart.ToProperties(), counterpart.BlockingMember, inMemoryFrom, counterpart.AsyncDisplay)
                : Diagnostic.Create(
                Rule,
                location,
                counterpart.ToProperties(),
                counterpart.BlockingMember,
                counterpart.Library,
                counterpart.AsyncDisplay));
    }
}
