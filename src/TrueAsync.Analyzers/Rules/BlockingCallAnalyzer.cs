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

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule, OwnMethodRule, DeclaredBlockingRule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var engine = TrueAsyncEngine.ForRule(start, collectOwnMethods: true);
            var ownCalls = new OwnMethodCallSites(engine, RuleIdentifiers.BlockingCallInAsyncCode);
            var state = new CompilationState(engine, ownCalls);
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeLoop, OperationKind.Loop);
            start.RegisterCompilationEndAction(end => ownCalls.Report(end, OwnMethodRule));
        });
    }

    private sealed class CompilationState
    {
        private const string RuleId = RuleIdentifiers.BlockingCallInAsyncCode;

        private readonly TrueAsyncEngine engine;
        private readonly BlockingCallModel model;
        private readonly OwnMethodCallSites ownCalls;

        public CompilationState(TrueAsyncEngine engine, OwnMethodCallSites ownCalls)
        {
            this.engine = engine;
            model = engine.Model;
            this.ownCalls = ownCalls;
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
                if (ownCalls.MayDefer(invocation.TargetMethod) && IsInAsyncCode(invocation)
                    && !FinishedTasks.IsInsideAwaitedFinishedTask(invocation))
                {
                    ownCalls.TryDefer(invocation, GetLocation(syntax));
                }
                else if (model.IsDeclaredBlocking(invocation, RuleId) && IsInAsyncCode(invocation)
                    && !FinishedTasks.IsInsideAwaitedFinishedTask(invocation))
                {
                    var method = invocation.TargetMethod;
                    context.ReportDiagnostic(Diagnostic.Create(DeclaredBlockingRule, GetLocation(syntax), method.Name, model.GetLibraryLabel(method)));
                }

                return;
            }

            // await Task.FromResult(blocking()) is TA0004's.
            if (!IsInAsyncCode(invocation) || !model.TryGetCounterpart(invocation, RuleId, out var counterpart)
                || FinishedTasks.IsInsideAwaitedFinishedTask(invocation))
            {
                return;
            }

            Report(context, GetLocation(syntax), counterpart);
        }

        private static Location GetLocation(InvocationExpressionSyntax syntax)
        {
            var name = syntax.Expression switch
            {
                MemberAccessExpressionSyntax access => access.Name,
                MemberBindingExpressionSyntax binding => binding.Name,
                SimpleNameSyntax simple => simple,
                _ => null,
            };
            var span = name is null ? syntax.Span : TextSpan.FromBounds(name.SpanStart, syntax.Span.End);
            return Location.Create(syntax.SyntaxTree, span);
        }

        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: false } loop
                || loop.Syntax is not ForEachStatementSyntax syntax
                || !IsInAsyncCode(loop)
                || !model.TryGetForEachCounterpart(loop, RuleId, out var counterpart))
            {
                return;
            }

            var span = TextSpan.FromBounds(syntax.ForEachKeyword.SpanStart, syntax.CloseParenToken.Span.End);
            Report(context, Location.Create(syntax.SyntaxTree, span), counterpart);
        }

        private static void Report(OperationAnalysisContext context, Location location, AsyncCounterpart counterpart)
            => context.ReportDiagnostic(Diagnostic.Create(
                Rule,
                location,
                counterpart.ToProperties(),
                counterpart.BlockingMember,
                counterpart.Library,
                counterpart.AsyncDisplay));

        /// <summary>
        /// Inside an async function, where an await can replace the call: not in a synchronous lambda or local
        /// function (awaiting is impossible there), a lock body, an expression tree or nameof, and not one of the
        /// sites of an offload TA0001 reports (the engine decides; an async delegate is never one).
        /// </summary>
        private bool IsInAsyncCode(IOperation operation)
            => AsyncContext.GetFunctionKind(operation.Syntax) == FunctionKind.Async
                && !AsyncContext.IsInNonRewritablePlace(operation)
                && !IsWhereAwaitIsNotAllowed(operation)
                && !engine.IsSiteOfOffload(operation);

        /// <summary>
        /// Places inside an async function where <c>await</c> is still a compile error: a query clause (compiled to
        /// an implicit, synchronous lambda; CS1995), a catch filter (CS7094) and an unsafe block (CS4004).
        /// </summary>
        private static bool IsWhereAwaitIsNotAllowed(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation lambda)
                {
                    return !lambda.Symbol.IsAsync;
                }

                if (current is ILocalFunctionOperation)
                {
                    break;
                }
            }

            for (var node = operation.Syntax.Parent; node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case CatchFilterClauseSyntax:
                    case UnsafeStatementSyntax:
                        return true;
                    case AnonymousFunctionExpressionSyntax:
                    case LocalFunctionStatementSyntax:
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }
    }
}
