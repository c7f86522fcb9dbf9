using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Blocking;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Engine;

/// <summary>Whether TA0001 reports an offload, and when.</summary>
internal enum OffloadVerdict
{
    /// <summary>Not an offload TA0001 reports.</summary>
    None,

    /// <summary>Reported at once (its sites are calls the model knows).</summary>
    Reported,

    /// <summary>Decided at compilation end: only calls to own methods were found (<see cref="OffloadWrapper.NeedsOwnMethodSummaries"/>).</summary>
    AtCompilationEnd,
}

/// <summary>
/// What an offload call (<c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>TaskFactory.StartNew</c>) does inside its
/// delegate: the blocking calls, waits, EF <c>foreach</c> loops and already-async calls that make it fake async
/// (the sites TA0001 reports with it). One instance per compilation, in <see cref="TrueAsyncEngine"/>; TA0001 reports
/// what it finds, and the other rules ask it (through <see cref="TrueAsyncEngine"/>) before speaking about a site
/// inside an offload or a wait on one, so that the offload and its sites get one voice (docs/architecture.md, "Ownership").
/// </summary>
internal sealed class OffloadClassifier
{
    private const int LongRunning = 2;
    private const string RuleId = RuleIdentifiers.TaskRunAroundBlockingCall;

    private readonly BlockingCallModel model;
    private readonly TaskWaits waits;
    private readonly OwnMethodSummaries summaries;
    private readonly INamedTypeSymbol? cancellationToken;
    private readonly INamedTypeSymbol? taskCreationOptions;
    private readonly INamedTypeSymbol? taskScheduler;

    // The ownership questions ask about the same offload once for every site inside it (by every rule): the verdict is
    // kept per invocation, so that a delegate body is walked once, not once per site (docs/architecture.md, "Speed").
    private readonly ConditionalWeakTable<IInvocationOperation, StrongBox<OffloadVerdict>> verdicts = new();

    public OffloadClassifier(Compilation compilation, BlockingCallModel model, TaskWaits waits, OwnMethodSummaries summaries)
    {
        this.model = model;
        this.waits = waits;
        this.summaries = summaries;
        cancellationToken = model.Types.CancellationToken;
        taskCreationOptions = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCreationOptions");
        taskScheduler = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskScheduler");
    }

    /// <summary>
    /// The offload <paramref name="invocation"/> with its fake-async sites, or null when it is not one TA0001 reports:
    /// not an offload call, inside <c>nameof</c> or an expression tree, a delegate that does nothing the model knows to
    /// block (an async delegate that only awaits is such a one), or a <c>LongRunning</c> one that is not plain blocking
    /// I/O (<see cref="IsLongRunningAroundIo"/>).
    /// When <see cref="OffloadWrapper.NeedsOwnMethodSummaries"/> is set, only own methods were found and TA0001 decides at
    /// compilation end.
    /// </summary>
    public OffloadWrapper? Classify(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("Run" or "StartNew")
            || !OffloadDelegates.IsOffloadMethod(method)
            || invocation.Syntax is not InvocationExpressionSyntax syntax
            || AsyncContext.IsInNameOfOrExpressionTree(invocation))
        {
            return null;
        }

        var call = ReadArguments(invocation);
        if (call is null)
        {
            return null;
        }

        var wrapper = new OffloadWrapper(invocation, syntax, call, GetRunnerName(invocation));
        return CollectSites(wrapper) && (!call.IsLongRunning || IsLongRunningAroundIo(wrapper)) ? wrapper : null;
    }

    /// <summary>
    /// <c>TaskCreationOptions.LongRunning</c> gives the delegate a dedicated thread: right for CPU-bound work and for
    /// long-lived loops (a consumer that runs until cancellation), fake async when the thread only sits blocked on a
    /// file, a socket or a database. Reported when the delegate's own body blocks on I/O that has a counterpart (a
    /// blocking call or an EF <c>foreach</c>, not only waits or own methods) and contains no <c>while</c>, <c>do</c>,
    /// <c>for</c> or other <c>foreach</c> loop, the shape of a long-lived worker or of CPU-bound iteration
    /// (docs/rules/TA0001.md, "LongRunning").
    /// </summary>
    private static bool IsLongRunningAroundIo(OffloadWrapper wrapper)
    {
        if (wrapper.Function is not { } function
            || !wrapper.Sites.Exists(s => s.Kind is OffloadSiteKind.Call or OffloadSiteKind.ForEach or OffloadSiteKind.DeclaredBlocking))
        {
            return false;
        }

        var stack = new Stack<IOperation>();
        stack.Push(function.Body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IForEachLoopOperation loop when wrapper.Sites.Exists(s => ReferenceEquals(s.Operation, loop)):
                    // foreach over an EF query: the I/O itself, not a worker loop.
                    break;
                case ILoopOperation:
                    return false;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return true;
    }

    /// <summary>
    /// What <see cref="Classify"/> says about <paramref name="invocation"/>, without the sites: computed once per invocation.
    /// </summary>
    public OffloadVerdict GetVerdict(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is not ("Run" or "StartNew"))
        {
            return OffloadVerdict.None;
        }

        if (verdicts.TryGetValue(invocation, out var known))
        {
            return known.Value;
        }

        var wrapper = Classify(invocation);
        var verdict = wrapper is null ? OffloadVerdict.None : wrapper.NeedsOwnMethodSummaries ? OffloadVerdict.AtCompilationEnd : OffloadVerdict.Reported;
        return verdicts.GetValue(invocation, _ => new StrongBox<OffloadVerdict>(verdict)).Value;
    }

    private OffloadArguments? ReadArguments(IInvocationOperation invocation)
    {
        var result = new OffloadArguments();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return null;
            }

            var type = parameter.Type;
            var value = argument.Value;
            if (type.TypeKind == TypeKind.Delegate)
            {
                result.Delegate = OffloadDelegates.SkipDelegateWrappers(value);
            }
            else if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }
            else if (SymbolEqualityComparer.Default.Equals(type, cancellationToken))
            {
                if (argument.Syntax is ArgumentSyntax { Parent: ArgumentListSyntax list } tokenSyntax)
                {
                    result.TokenArgument = list.Arguments.IndexOf(tokenSyntax);
                }
            }
            else if (SymbolEqualityComparer.Default.Equals(type, taskCreationOptions))
            {
                // Options that are not a constant may ask for a dedicated thread: say nothing.
                result.IsLongRunning = value.ConstantValue is not { HasValue: true, Value: int options } || (options & LongRunning) != 0;
            }
            else if (SymbolEqualityComparer.Default.Equals(type, taskScheduler))
            {
                result.HasCustomScheduler = value is not IPropertyReferenceOperation { Property: { Name: "Default", IsStatic: true } };
            }
            else if (type.SpecialType == SpecialType.System_Object)
            {
                result.HasState = true;
            }
        }

        return result.Delegate is null ? null : result;
    }

    private static string GetRunnerName(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name == "Run")
        {
            return "Task.Run";
        }

        return invocation.Instance is IPropertyReferenceOperation { Property: { Name: "Factory", IsStatic: true } }
            ? "Task.Factory.StartNew"
            : "TaskFactory.StartNew";
    }

    /// <summary>Fills <see cref="OffloadWrapper.Sites"/>; false when the delegate does nothing TA0001 reports.</summary>
    private bool CollectSites(OffloadWrapper wrapper)
    {
        switch (wrapper.Call.Delegate)
        {
            case IAnonymousFunctionOperation function:
                wrapper.Function = function;
                if (function.Symbol.IsAsync)
                {
                    // Task.Run(async () => await …) may leave a synchronization context on purpose, and its awaits are
                    // real: only what blocks in its body (a blocking call, a wait, an EF foreach) is a site. The offload
                    // is reported for it, without a fix (removing the wrapper would change where the awaits resume).
                    wrapper.NoFix = true;
                }
                else
                {
                    if (function.Syntax is AnonymousFunctionExpressionSyntax functionSyntax)
                    {
                        wrapper.Body = GetSingleExpressionBody(functionSyntax);
                    }

                    CollectAlreadyAsync(wrapper, function);
                }

                WalkDelegateBody(wrapper, function.Body);
                break;
            case IMethodReferenceOperation reference:
                CollectMethodGroup(wrapper, reference);
                break;
            default:
                return false;
        }

        if (wrapper.Sites.Count == 0)
        {
            return false;
        }

        wrapper.Sites.Sort((a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));

        // A call the model knows (a library call, an own method's async twin) decides at once, and the fix can be
        // offered in the editor; own methods without a twin leave the decision to compilation end.
        wrapper.NeedsOwnMethodSummaries = wrapper.Sites.TrueForAll(s => s.Kind == OffloadSiteKind.OwnMethod);
        if (!wrapper.NeedsOwnMethodSummaries)
        {
            wrapper.Sites.RemoveAll(s => s.Kind == OffloadSiteKind.OwnMethod);
        }

        return true;
    }

    /// <summary><c>() =&gt; expr</c> or <c>() =&gt; { return expr; }</c>: the expression.</summary>
    private static ExpressionSyntax? GetSingleExpressionBody(AnonymousFunctionExpressionSyntax function)
    {
        if (function.ExpressionBody is { } expression)
        {
            return expression;
        }

        return function.Block is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } returned }
            ? returned
            : null;
    }

    private void CollectAlreadyAsync(OffloadWrapper wrapper, IAnonymousFunctionOperation function)
    {
        // Only Task.Run unwraps the inner task; StartNew would hand back a Task<Task>.
        if (wrapper.Invocation.TargetMethod.Name != "Run" || wrapper.Body is null
            || function.Body.Operations is not { Length: 1 } operations
            || operations[0] is not IReturnOperation { ReturnedValue: { } body })
        {
            return;
        }

        if (Operations.StripConversions(body) is not IInvocationOperation inner || inner.Syntax is not InvocationExpressionSyntax innerSyntax
            || !ReferenceEquals(inner.Syntax, wrapper.Body))
        {
            return;
        }

        var target = inner.TargetMethod;
        if (!target.Name.EndsWith("Async", StringComparison.Ordinal)
            || target.Locations.IsEmpty || target.Locations[0].IsInSource
            || !waits.IsTaskLike(inner.Type)
            || target.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
            || model.IsExcludedByUser(target, inner.Syntax.SyntaxTree, RuleId))
        {
            return;
        }

        wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.AlreadyAsync, innerSyntax.GetLocation()) { Name = target.Name, Operation = inner });
    }

    private void CollectMethodGroup(OffloadWrapper wrapper, IMethodReferenceOperation reference)
    {
        var method = reference.Method;
        if (!summaries.MayBlock(method) || model.IsExcludedByUser(method, reference.Syntax.SyntaxTree, RuleId))
        {
            return;
        }

        // No invocation to rewrite: reported, never fixed.
        wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.OwnMethod, reference.Syntax.GetLocation()) { Name = method.Name, OwnCallee = method });
        wrapper.NoFix = true;
    }

    private void WalkDelegateBody(OffloadWrapper wrapper, IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    // Runs when called, maybe never on this thread.
                    continue;
                case IInvocationOperation invocation:
                    AddInvocationSite(wrapper, invocation);
                    break;
                case IPropertyReferenceOperation property:
                    AddPropertySite(wrapper, property);
                    break;
                case IForEachLoopOperation loop when model.TryGetForEachCounterpart(loop, RuleId, out var loopCounterpart)
                    && loop.Syntax is ForEachStatementSyntax:
                    wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.ForEach, loop.Syntax.GetLocation()) { Counterpart = loopCounterpart, Operation = loop });
                    break;
            }

            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    private void AddInvocationSite(OffloadWrapper wrapper, IInvocationOperation invocation)
    {
        if (wrapper.Sites.Exists(s => s.Kind == OffloadSiteKind.AlreadyAsync && ReferenceEquals(s.Operation, invocation)))
        {
            return;
        }

        if (waits.TryGetWait(invocation) is { } wait)
        {
            wrapper.Sites.Add(CreateWaitSite(wait));
            return;
        }

        var method = invocation.TargetMethod;
        var own = summaries.IsOwnMethod(method);
        if (model.TryGetCounterpart(invocation, RuleId, out var counterpart))
        {
            wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.Call, invocation.Syntax.GetLocation())
            {
                Counterpart = counterpart,
                Name = method.Name,
                OwnCallee = own ? method : null,
                Operation = invocation,
            });
        }
        else if (own && summaries.MayBlock(method) && !model.IsExcludedByUser(method, invocation.Syntax.SyntaxTree, RuleId))
        {
            wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.OwnMethod, invocation.Syntax.GetLocation()) { Name = method.Name, OwnCallee = method, Operation = invocation });
        }
        else if (model.IsDeclaredBlocking(invocation, RuleId))
        {
            // Declared blocking in .editorconfig (trueasync.blocking_methods): the wrapper holds a pool thread on it, but
            // there is no async API to await instead, so the offload is reported without a fix.
            wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.DeclaredBlocking, invocation.Syntax.GetLocation())
            {
                Name = method.Name,
                Library = model.GetLibraryLabel(method),
                Operation = invocation,
            });
            wrapper.NoFix = true;
        }
    }

    private void AddPropertySite(OffloadWrapper wrapper, IPropertyReferenceOperation property)
    {
        if (waits.TryGetWait(property) is { } wait)
        {
            wrapper.Sites.Add(CreateWaitSite(wait));
            return;
        }

        if (property.Property.GetMethod is { } getter && summaries.MayBlock(getter)
            && !(property.Parent is IAssignmentOperation assignment && ReferenceEquals(assignment.Target, property))
            && !model.IsExcludedByUser(getter, property.Syntax.SyntaxTree, RuleId))
        {
            wrapper.Sites.Add(new OffloadSite(OffloadSiteKind.OwnMethod, property.Syntax.GetLocation()) { Name = property.Property.Name, OwnCallee = getter, Operation = property });
        }
    }

    private static OffloadSite CreateWaitSite(TaskWait wait)
    {
        var display = wait.Kind switch
        {
            TaskWaitKind.Result => ".Result",
            TaskWaitKind.Wait => ".Wait()",
            TaskWaitKind.GetAwaiterGetResult => ".GetAwaiter().GetResult()",
            TaskWaitKind.WaitAll => "Task.WaitAll",
            _ => "Task.WaitAny",
        };
        return new OffloadSite(OffloadSiteKind.Wait, wait.Operation.Syntax.GetLocation())
        {
            Wait = wait,
            WaitDisplay = display,
            AwaitableLocation = wait.Awaitable?.Syntax.GetLocation(),
            Operation = wait.Operation,
        };
    }
}

internal enum OffloadSiteKind
{
    /// <summary>A blocking call with a counterpart in the model (library, or an own method's async twin).</summary>
    Call,

    /// <summary><c>foreach</c> over an EF query.</summary>
    ForEach,

    /// <summary><c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>.</summary>
    Wait,

    /// <summary>The delegate only calls a library's async method: <c>Task.Run(() =&gt; db.SaveChangesAsync())</c>.</summary>
    AlreadyAsync,

    /// <summary>An own method without an async twin: blocks if its summary says so, never fixable.</summary>
    OwnMethod,

    /// <summary>A method the user declared blocking (<c>trueasync.blocking_methods</c>): no counterpart, never fixable.</summary>
    DeclaredBlocking,
}

internal sealed class OffloadSite
{
    public OffloadSite(OffloadSiteKind kind, Location location)
    {
        Kind = kind;
        Location = location;
    }

    public OffloadSiteKind Kind { get; }

    public Location Location { get; }

    public Location? AwaitableLocation { get; set; }

    public AsyncCounterpart? Counterpart { get; set; }

    public IMethodSymbol? OwnCallee { get; set; }

    public string? Name { get; set; }

    /// <summary>The library label of a <see cref="OffloadSiteKind.DeclaredBlocking"/> site.</summary>
    public string? Library { get; set; }

    public string? WaitDisplay { get; set; }

    public TaskWait? Wait { get; set; }

    public IOperation? Operation { get; set; }
}

internal sealed class OffloadArguments
{
    public IOperation? Delegate { get; set; }

    public int TokenArgument { get; set; } = -1;

    public bool IsLongRunning { get; set; }

    public bool HasCustomScheduler { get; set; }

    public bool HasState { get; set; }
}

internal sealed class OffloadWrapper
{
    public OffloadWrapper(IInvocationOperation invocation, InvocationExpressionSyntax syntax, OffloadArguments call, string runner)
    {
        Invocation = invocation;
        Syntax = syntax;
        Call = call;
        Runner = runner;
        ReportLocation = syntax.Expression.GetLocation();
        InvocationLocation = syntax.GetLocation();
        DelegateLocation = call.Delegate?.Syntax.GetLocation() ?? InvocationLocation;
    }

    public IInvocationOperation Invocation { get; private set; }

    public InvocationExpressionSyntax Syntax { get; }

    public OffloadArguments Call { get; }

    public string Runner { get; }

    public Location ReportLocation { get; }

    public Location InvocationLocation { get; }

    public Location DelegateLocation { get; }

    public IAnonymousFunctionOperation? Function { get; set; }

    public ExpressionSyntax? Body { get; set; }

    public List<OffloadSite> Sites { get; } = new();

    public bool NeedsOwnMethodSummaries { get; set; }

    public bool NoFix { get; set; }

    /// <summary>Deferred wrappers wait for compilation end: keep symbols and locations, not operation trees.</summary>
    public void DetachOperations()
    {
        Invocation = null!;
        Function = null;
        Call.Delegate = null;
        foreach (var site in Sites)
        {
            site.Operation = null;
            site.Wait = null;
        }
    }
}
