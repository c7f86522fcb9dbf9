using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace TrueAsync.Analyzers.Blocking;

/// <summary>
/// For a rule that reports calls (TA0003 in async code, TA0004 in a Task-returning method): calls to the
/// project's own synchronous methods that have no async twin, kept until compilation end, when
/// <see cref="OwnMethodSummaries"/> knows which of them block and by which chain.
/// <code>
/// var ownCalls = new OwnMethodCallSites(engine, ruleId);                 // compilation start, after TrueAsyncEngine.ForRule
/// if (!model.MightHaveCounterpart(method) &amp;&amp; ownCalls.MayDefer(method)) { ownCalls.TryDefer(invocation, span); return; }
/// start.RegisterCompilationEndAction(c =&gt; ownCalls.Report(c, OwnMethodRule)); // descriptor tagged CompilationEnd
/// </code>
/// The diagnostic gets two message arguments, the chain and the called method's name:
/// <c>'CountOpen' -&gt; 'LoadAll' blocks on 'ToList' (EF Core)</c>, <c>CountOpen</c>. It carries no properties:
/// a compilation-end diagnostic is non-local, and the editor offers no fix for one.
/// </summary>
internal sealed class OwnMethodCallSites
{
    private readonly OwnMethodSummaries summaries;
    private readonly BlockingCallModel model;
    private readonly string ruleId;
    // The place as tree and span: a Location is made only for the few calls reported.
    private readonly ConcurrentQueue<(SyntaxTree Tree, TextSpan Span, IMethodSymbol Callee)> pending = new();

    /// <summary>The calling rule must have registered the summaries' collecting pass (<see cref="Engine.TrueAsyncEngine.ForRule"/>).</summary>
    public OwnMethodCallSites(Engine.TrueAsyncEngine engine, string ruleId)
    {
        summaries = engine.Summaries;
        model = engine.Model;
        this.ruleId = ruleId;
    }

    /// <summary>
    /// The cheap first question, answered per method symbol: can a call to <paramref name="callee"/> be kept at all?
    /// Ask it before any work on the call's context.
    /// </summary>
    public bool MayDefer(IMethodSymbol callee)
        => callee.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && summaries.MayBlock(callee);

    /// <summary>
    /// Keeps <paramref name="invocation"/>, reported at <paramref name="span"/> of its tree, for compilation end when it
    /// calls one of the project's own synchronous methods that the user did not exclude. The caller has already asked
    /// <see cref="MayDefer"/> and decided that the place is one its rule reports. A callee whose body is known not to
    /// block by now is not kept (docs/architecture.md, "Speed").
    /// </summary>
    public bool TryDefer(IInvocationOperation invocation, TextSpan span)
    {
        var callee = invocation.TargetMethod;
        var tree = invocation.Syntax.SyntaxTree;
        if (summaries.IsKnownNotToBlock(callee) || model.IsExcludedByUser(callee, tree, ruleId))
        {
            return false;
        }

        pending.Enqueue((tree, span, callee));
        return true;
    }

    /// <summary>Reports every kept call whose method blocks; call it from the rule's compilation-end action.</summary>
    public void Report(CompilationAnalysisContext context, DiagnosticDescriptor descriptor)
    {
        if (pending.IsEmpty)
        {
            return;
        }

        summaries.Complete(context.CancellationToken);
        foreach (var (tree, span, callee) in pending)
        {
            if (summaries.TryGetChain(callee, tree, ruleId, out var chain))
            {
                context.ReportDiagnostic(Diagnostic.Create(descriptor, Location.Create(tree, span), chain.ToString(), callee.Name));
            }
        }
    }
}
