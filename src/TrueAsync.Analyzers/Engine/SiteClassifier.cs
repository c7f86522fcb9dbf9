using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Engine;

/// <summary>What a fake-async site is.</summary>
internal enum SiteShape
{
    /// <summary><c>Task.Run</c>/<c>StartNew</c> around blocking work (the sites inside are part of it).</summary>
    Offload,

    /// <summary>A blocking wait on a task: <c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>, <c>WaitAll/WaitAny</c>.</summary>
    Wait,

    /// <summary>A call that blocks on I/O where a true async counterpart exists, or an EF <c>foreach</c>, in async code.</summary>
    BlockingCall,
}

/// <summary>One classified site: its shape and the one rule that speaks for it.</summary>
internal readonly struct ClassifiedSite
{
    public ClassifiedSite(SiteShape shape, string owner, IOperation operation)
    {
        Shape = shape;
        Owner = owner;
        Operation = operation;
    }

    public SiteShape Shape { get; }

    /// <summary>The rule ID that reports the site (for a site inside an offload: TA0001, which reports the offload).</summary>
    public string Owner { get; }

    public IOperation Operation { get; }
}

/// <summary>
/// The one place that decides what a site is and which rule owns it (docs/architecture.md, "Ownership"). Rules ask
/// it before they report; the robustness suite asks it over every input and checks that every site it classifies
/// gets exactly one diagnostic from its owner. Own-method chains (known only at compilation end), including calls
/// through interfaces and queries returned by own methods, are decided by their rules with the engine's summaries and
/// are not classified here.
/// </summary>
internal sealed class SiteClassifier
{
    private readonly TrueAsyncEngine engine;

    public SiteClassifier(TrueAsyncEngine engine)
    {
        this.engine = engine;
    }

    /// <summary>The site <paramref name="operation"/> is, or null when it is no fake-async site of these shapes.</summary>
    public ClassifiedSite? Classify(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation when invocation.TargetMethod.Name is "Run" or "StartNew"
                && engine.Offloads?.GetVerdict(invocation) == OffloadVerdict.Reported:
                return new ClassifiedSite(SiteShape.Offload, RuleIdentifiers.TaskRunAroundBlockingCall, operation);
            case IInvocationOperation or IPropertyReferenceOperation when engine.Waits?.TryGetWait(operation) is { } wait:
                return OwnerOfWait(wait) is { } waitOwner ? new ClassifiedSite(SiteShape.Wait, waitOwner, operation) : null;
            case IInvocationOperation invocation when engine.Model.MightHaveCounterpart(invocation.TargetMethod)
                && engine.Model.TryGetCounterpart(invocation, out _):
                return OwnerOfBlockingCall(invocation) is { } callOwner ? new ClassifiedSite(SiteShape.BlockingCall, callOwner, operation) : null;
            case IForEachLoopOperation loop when engine.Model.TryGetForEachCounterpart(loop, out _):
                return OwnerOfBlockingCall(loop) is { } loopOwner ? new ClassifiedSite(SiteShape.BlockingCall, loopOwner, operation) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Who reports <paramref name="wait"/>: TA0001 when the wait is part of an offload it reports (a wait on it, or a
    /// wait in its delegate), else TA0002; null when blocking there is no fake async (<c>nameof</c>, an expression
    /// tree, a task known to be complete, the classic synchronous <c>Main</c>, the synchronous path of a dual-path body).
    /// </summary>
    public string? OwnerOfWait(TaskWait wait)
    {
        var operation = wait.Operation;
        if (AsyncContext.IsInNameOfOrExpressionTree(operation))
        {
            return null;
        }

        if (engine.IsSiteOfOffload(operation) || engine.IsWaitOnOffload(wait))
        {
            return RuleIdentifiers.TaskRunAroundBlockingCall;
        }

        // The dual-path test first: in a library with both APIs most waits are on the synchronous path, and it is cheaper
        // than looking through the earlier statements for what proves the task complete.
        if (DualPaths.IsOnSyncPath(operation) || IsClassicMain(AsyncContext.GetEnclosingFunction(operation.Syntax))
            || KnownCompleteTasks.IsKnownComplete(wait, engine.Waits!))
        {
            // The entry thread of a console program has no synchronization context and is not a pool thread:
            // blocking there is how Main waited for async work before C# 7.1. On the synchronous path of a dual-path
            // body the wait is the synchronous API's own (`if (async) await t; else t.GetAwaiter().GetResult();`).
            return null;
        }

        return RuleIdentifiers.SyncOverAsync;
    }

    /// <summary>
    /// Who reports a blocking call (or EF <c>foreach</c>) the model knows: TA0001 inside an offload it reports, TA0004
    /// inside <c>await Task.FromResult(…)</c> and in a synchronous Task-returning function (it blocks the caller's thread
    /// before any task exists), TA0003 in async code where an <c>await</c> can replace it; null elsewhere (synchronous
    /// code is not fake async by itself, nor is the synchronous path of a dual-path body).
    /// </summary>
    public string? OwnerOfBlockingCall(IOperation call)
    {
        if (engine.IsSiteOfOffload(call))
        {
            return RuleIdentifiers.TaskRunAroundBlockingCall;
        }

        if (DualPaths.IsOnSyncPath(call))
        {
            // The synchronous path of a dual-path body (`async ? await s.ReadAsync(b) : s.Read(b)`) is the sync API's.
            return null;
        }

        if (!IsInAsyncCode(call))
        {
            // Task M() { var u = db.Users.Single(…); return cache.RemoveAsync(k); }: TA0004 decides the same way (TaskFunctions).
            return TaskFunctions.FindEnclosing(call) is { IsSynchronousTaskReturning: true } ? RuleIdentifiers.FakeAsyncMethod : null;
        }

        return call is IInvocationOperation && FinishedTasks.IsInsideAwaitedFinishedTask(call)
            ? RuleIdentifiers.FakeAsyncMethod
            : RuleIdentifiers.BlockingCallInAsyncCode;
    }

    /// <summary>
    /// Whether TA0003 owns the blocking call <paramref name="call"/>: the same answer as
    /// <c>OwnerOfBlockingCall(call) == TA0003</c>, with the cheapest condition first. Most calls a rule asks about are in
    /// synchronous code, which a walk up the syntax to the enclosing function rules out before any walk up the operations.
    /// </summary>
    public bool IsOwnedByBlockingCallRule(IOperation call)
        => IsInAsyncCode(call)
            && !engine.IsSiteOfOffload(call)
            && !DualPaths.IsOnSyncPath(call)
            && !(call is IInvocationOperation && FinishedTasks.IsInsideAwaitedFinishedTask(call));

    /// <summary>
    /// Inside an async function, where an await can replace the call: not in a synchronous lambda or local function
    /// (awaiting is impossible there), a lock body, an expression tree or nameof, a query clause, a catch filter or
    /// an unsafe block.
    /// </summary>
    public static bool IsInAsyncCode(IOperation operation)
        => AsyncContext.GetFunctionKind(operation.Syntax) == FunctionKind.Async
            && !AsyncContext.IsInNonRewritablePlace(operation)
            && !IsWhereAwaitIsNotAllowed(operation);

    /// <summary>
    /// Places inside an async function where <c>await</c> is still a compile error: a query clause (compiled to an
    /// implicit, synchronous lambda; CS1995), a catch filter (CS7094) and an unsafe block (CS4004).
    /// </summary>
    private static bool IsWhereAwaitIsNotAllowed(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current.Kind == OperationKind.AnonymousFunction)
            {
                return !((IAnonymousFunctionOperation)current).Symbol.IsAsync;
            }

            if (current.Kind == OperationKind.LocalFunction)
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

    private static bool IsClassicMain(SyntaxNode? function)
        => function is MethodDeclarationSyntax { Identifier.ValueText: "Main" } method
            && method.Modifiers.Any(SyntaxKind.StaticKeyword)
            && !method.Modifiers.Any(SyntaxKind.AsyncKeyword);
}
