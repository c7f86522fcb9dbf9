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

        private readonly SiteClassifier classifier;
        private readonly BlockingCallModel model;
        private readonly OwnMethodCallSites ownCalls;

        public CompilationState(TrueAsyncEngine engine, OwnMethodCallSites ownCalls)
        {
            classifier = engine.Classifier;
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
                if (ownCalls.MayDefer(invocation.TargetMethod) && classifier.OwnerOfBlockingCall(invocation) == RuleId)
                {
                    ownCalls.TryDefer(invocation, GetLocation(syntax));
                }
                else if (model.IsDeclaredBlocking(invocation, RuleId) && classifier.OwnerOfBlockingCall(invocation) == RuleId)
                {
                    var method = invocation.TargetMethod;
                    context.ReportDiagnostic(Diagnostic.Create(DeclaredBlockingRule, GetLocation(syntax), method.Name, model.GetLibraryLabel(method)));
                }

                return;
            }

            // await Task.FromResult(blocking()) is TA0004's, a call inside a reported offload TA0001's: the classifier decides.
            // The place is asked first: most candidate calls (Read, Write, ToList) are in synchronous code.
            if (classifier.OwnerOfBlockingCall(invocation) != RuleId || !model.TryGetCounterpart(invocation, RuleId, out var counterpart))
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
                || !model.TryGetForEachCounterpart(loop, RuleId, out var counterpart)
                || classifier.OwnerOfBlockingCall(loop) != RuleId)
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
    }
}
