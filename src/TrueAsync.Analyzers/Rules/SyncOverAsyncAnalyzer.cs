using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using TrueAsync.Analyzers.Engine;
using TrueAsync.Analyzers.Shared;

namespace TrueAsync.Analyzers.Rules;

/// <summary>
/// TA0002: a thread blocks on a task (<c>.Result</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c>, <c>Task.WaitAny</c>). In async code the fix is <c>await</c>, and so it is in a synchronous
/// minimal-API route handler, which becomes async with it (<see cref="RouteHandlers"/>); elsewhere in synchronous code
/// the wait is reported without this fix (make-method-async is a fixer of its own). A wait that is one site with an
/// offload TA0001 reports (a wait on it, or a wait inside its delegate) is TA0001's; the engine decides
/// (docs/architecture.md, "Ownership").
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SyncOverAsyncAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The property that tells the fixer which rewrite applies; absent when there is none.</summary>
    public const string FixProperty = "Fix";

    /// <summary><c>t.Result</c>, <c>t.Wait()</c>, <c>x.GetAwaiter().GetResult()</c> → <c>await t</c> / <c>await x</c>.</summary>
    public const string FixAwait = "Await";

    /// <summary><c>t.Wait(token)</c> → <c>await t.WaitAsync(token)</c>.</summary>
    public const string FixAwaitWaitAsync = "AwaitWaitAsync";

    /// <summary><c>Task.WaitAll(…)</c> → <c>await Task.WhenAll(…)</c>.</summary>
    public const string FixAwaitWhenAll = "AwaitWhenAll";

    /// <summary><c>Task.WaitAny(…);</c> (result unused) → <c>await Task.WhenAny(…);</c>.</summary>
    public const string FixAwaitWhenAny = "AwaitWhenAny";

    /// <summary><c>Task.WaitAny(tasks)</c> (index used) → <c>Array.IndexOf(tasks, await Task.WhenAny(tasks))</c>.</summary>
    public const string FixAwaitWhenAnyIndex = "AwaitWhenAnyIndex";

    /// <summary>
    /// Present when the wait is directly in a synchronous minimal-API route handler (<see cref="RouteHandlers"/>): the fix
    /// makes that lambda <c>async</c> as well.
    /// </summary>
    public const string MakeHandlerAsyncProperty = "MakeHandlerAsync";

    // One descriptor for Task and ValueTask waits, which differ only in the message arguments: one ID, one descriptor.
    private static readonly DiagnosticDescriptor Rule = new(
        id: RuleIdentifiers.SyncOverAsync,
        title: "Blocking wait on a task (sync over async)",
        messageFormat: "'{0}' {1}; {2}",
        category: "Reliability",
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Blocking on a task holds a thread while the I/O is in flight, starves the thread pool under load, and deadlocks when the task needs the synchronization context the blocked thread owns. A ValueTask may only be read once it has completed: reading it earlier is undefined for ValueTasks backed by an IValueTaskSource. Await the task instead.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.SyncOverAsync));

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Not analyzed, so nothing to filter: docs/architecture.md, "Generated code".
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is resolved here: the engine resolves its types on the first question from an action.
            var engine = TrueAsyncEngine.ForRule(start, collectOwnMethods: false);
            var analysis = new CompilationAnalysis(engine);
            start.RegisterOperationAction(analysis.Analyze, OperationKind.PropertyReference, OperationKind.Invocation);
        });
    }

    private sealed class CompilationAnalysis
    {
        private readonly TrueAsyncEngine engine;

        // What the fixes may use of Task in this compilation, read when the first wait is reported.
        private readonly Lazy<TaskMembers> taskMembers;

        public CompilationAnalysis(TrueAsyncEngine engine)
        {
            this.engine = engine;
            taskMembers = new Lazy<TaskMembers>(() => new TaskMembers(engine.Waits!.TaskType));
        }

        public void Analyze(OperationAnalysisContext context)
        {
            var operation = context.Operation;

            // TryGetWait tests the member name before any symbol comparison: most calls stop there.
            if (engine.Waits?.TryGetWait(operation) is not { } wait)
            {
                return;
            }

            // `Task.Run(() => db.Orders.ToList()).Result` and a wait inside a reported offload's delegate are one site
            // with the offload: TA0001 speaks for them (its fix removes both). A wait on an offload TA0001 does not
            // report (CPU-bound work, an async delegate that only awaits, LongRunning) stays here. The classifier decides.
            if (engine.Classifier.OwnerOfWait(wait) != RuleIdentifiers.SyncOverAsync)
            {
                return;
            }

            var function = AsyncContext.GetEnclosingFunction(operation.Syntax);
            var canAwait = (function is CompilationUnitSyntax || AsyncContext.IsAsyncFunction(function))
                && !IsInQueryClause(operation);
            string? fix = null;
            string advice;
            var makeHandlerAsync = false;
            if (canAwait)
            {
                var blocker = FindAwaitBlocker(operation, function!);
                fix = blocker is null ? ChooseFix(wait) : null;
                advice = fix is not null ? FixAdvice(fix) : blocker ?? ManualAdvice(wait);
            }
            else if (function is AnonymousFunctionExpressionSyntax
                && RouteHandlers.EnclosingHandlerThatCanBecomeAsync(operation) is not null
                && FindAwaitBlocker(operation, function) is null
                && ChooseFix(wait) is { } handlerFix)
            {
                // A minimal-API route handler: ASP.NET Core awaits what it returns, so it becomes async with the await.
                fix = handlerFix;
                makeHandlerAsync = true;
                advice = "make the route handler async and " + FixAdvice(fix);
            }
            else
            {
                advice = wait.IsValueTask
                    ? "make the caller async and await it, or block on 'AsTask()' if the caller must stay synchronous"
                    : "it can deadlock under a synchronization context and holds a pool thread; make the caller async and await it";
            }

            var properties = fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix);
            if (makeHandlerAsync)
            {
                properties = properties.Add(MakeHandlerAsyncProperty, "true");
            }

            var location = operation.Syntax.GetLocation();
            var problem = wait.IsValueTask
                ? "reads a ValueTask that may not have completed yet, which is invalid for a ValueTask backed by an IValueTaskSource and blocks the thread otherwise"
                : "blocks the thread until " + Until(wait);
            context.ReportDiagnostic(Diagnostic.Create(Rule, location, properties, Describe(wait), problem, advice));
        }

        private string? ChooseFix(TaskWait wait)
        {
            var syntax = wait.Operation.Syntax;
            switch (wait.Kind)
            {
                case TaskWaitKind.Result:
                    return syntax is MemberAccessExpressionSyntax { Expression: var receiver } && IsAwaitableReceiver(receiver) ? FixAwait : null;
                case TaskWaitKind.Wait:
                    if (syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var waited } }
                        || !IsAwaitableReceiver(waited) || wait.Timeout is not null)
                    {
                        return null;
                    }

                    // Wait(token) throws when the token is canceled, and so does WaitAsync(token).
                    return wait.CancellationToken is null ? FixAwait : taskMembers.Value.HasWaitAsyncWithToken ? FixAwaitWaitAsync : null;
                case TaskWaitKind.GetAwaiterGetResult:
                    return syntax is InvocationExpressionSyntax
                    {
                        ArgumentList.Arguments.Count: 0,
                        Expression: MemberAccessExpressionSyntax
                        {
                            Expression: InvocationExpressionSyntax
                            {
                                ArgumentList.Arguments.Count: 0,
                                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter", Expression: var awaitable },
                            },
                        },
                    } && IsAwaitableReceiver(awaitable) ? FixAwait : null;
                case TaskWaitKind.WaitAll:
                    // WaitAll(tasks, timeout) returns false on timeout; WaitAll(tasks, token) has no one-call equivalent.
                    return !wait.HasTimeoutOrToken && HasCounterpart(wait, taskMembers.Value.WhenAllParameterTypes) && IsStaticCallShape(syntax) ? FixAwaitWhenAll : null;
                case TaskWaitKind.WaitAny:
                    if (wait.HasTimeoutOrToken || !HasCounterpart(wait, taskMembers.Value.WhenAnyParameterTypes) || !IsStaticCallShape(syntax))
                    {
                        return null;
                    }

                    if (wait.Operation.Parent is IExpressionStatementOperation)
                    {
                        return FixAwaitWhenAny;
                    }

                    // WaitAny returns an index and WhenAny the task: the index is found again in the same array,
                    // which is only safe when the array is a plain variable read twice without side effects.
                    return wait.Tasks is { ArgumentKind: ArgumentKind.Explicit, Value: ILocalReferenceOperation or IParameterReferenceOperation } tasks
                        && tasks.Value.Type is IArrayTypeSymbol
                        ? FixAwaitWhenAnyIndex
                        : null;
                default:
                    return null;
            }
        }

        private static bool HasCounterpart(TaskWait wait, ImmutableArray<ITypeSymbol> counterpartParameterTypes)
            => wait.Tasks?.Parameter is { } parameter
                && counterpartParameterTypes.Any(t => SymbolEqualityComparer.Default.Equals(t, parameter.Type));

        /// <summary>The members of Task the fixes may call: WaitAsync(CancellationToken), and the WhenAll/WhenAny overloads.</summary>
        private sealed class TaskMembers
        {
            public TaskMembers(INamedTypeSymbol task)
            {
                HasWaitAsyncWithToken = task.GetMembers("WaitAsync").OfType<IMethodSymbol>()
                    .Any(m => !m.IsStatic && m.Parameters.Length == 1 && m.Parameters[0].Type is { Name: "CancellationToken" });
                WhenAllParameterTypes = FirstParameterTypes(task, "WhenAll");
                WhenAnyParameterTypes = FirstParameterTypes(task, "WhenAny");
            }

            public bool HasWaitAsyncWithToken { get; }

            public ImmutableArray<ITypeSymbol> WhenAllParameterTypes { get; }

            public ImmutableArray<ITypeSymbol> WhenAnyParameterTypes { get; }

            private static ImmutableArray<ITypeSymbol> FirstParameterTypes(INamedTypeSymbol task, string methodName)
                => task.GetMembers(methodName).OfType<IMethodSymbol>()
                    .Where(m => m.IsStatic && !m.IsGenericMethod && m.Parameters.Length == 1)
                    .Select(m => m.Parameters[0].Type)
                    .ToImmutableArray();
        }

        private static string FixAdvice(string fix) => fix switch
        {
            FixAwaitWhenAll => "use 'await Task.WhenAll' instead",
            FixAwaitWhenAny or FixAwaitWhenAnyIndex => "use 'await Task.WhenAny' instead",
            FixAwaitWaitAsync => "use 'await' with 'WaitAsync' instead",
            _ => "use 'await' instead",
        };

        private static string ManualAdvice(TaskWait wait)
        {
            if (wait.Timeout is not null)
            {
                return "await it instead, but 'await' does not give up after a timeout, so this needs a rewrite by hand";
            }

            return wait.Kind switch
            {
                TaskWaitKind.WaitAny => "use 'await Task.WhenAny' instead, which returns the task rather than its index (rewrite by hand)",
                TaskWaitKind.WaitAll => "use 'await Task.WhenAll' instead (rewrite by hand)",
                _ => "await it instead (rewrite by hand)",
            };
        }

        private static string Describe(TaskWait wait)
        {
            var extras = new List<string>();
            if (wait.Operation is IInvocationOperation invocation)
            {
                foreach (var argument in invocation.Arguments)
                {
                    if ((ReferenceEquals(argument, wait.Timeout) || ReferenceEquals(argument, wait.CancellationToken)) && argument.Parameter is { } parameter)
                    {
                        extras.Add(parameter.Name);
                    }
                }
            }

            var arguments = string.Join(", ", extras);
            return wait.Kind switch
            {
                TaskWaitKind.Result => "Result",
                TaskWaitKind.Wait => "Wait(" + arguments + ")",
                TaskWaitKind.GetAwaiterGetResult => "GetAwaiter().GetResult()",
                TaskWaitKind.WaitAll => extras.Count == 0 ? "Task.WaitAll" : "Task.WaitAll(…, " + arguments + ")",
                _ => extras.Count == 0 ? "Task.WaitAny" : "Task.WaitAny(…, " + arguments + ")",
            };
        }

        private static string Until(TaskWait wait)
        {
            var until = wait.Kind switch
            {
                TaskWaitKind.WaitAll => "all the tasks complete",
                TaskWaitKind.WaitAny => "one of the tasks completes",
                _ => "the task completes",
            };
            if (wait.Timeout is not null)
            {
                until += " or the timeout elapses";
            }

            if (wait.CancellationToken is not null)
            {
                until += " or the token is canceled";
            }

            return until;
        }
    }

    /// <summary>A receiver that <c>await</c> can take as it is: not <c>base</c> itself, not the inside of a <c>?.</c> chain.</summary>
    private static bool IsAwaitableReceiver(ExpressionSyntax receiver)
    {
        if (receiver is BaseExpressionSyntax)
        {
            return false;
        }

        var current = receiver;
        while (true)
        {
            switch (current)
            {
                case MemberAccessExpressionSyntax access:
                    current = access.Expression;
                    break;
                case InvocationExpressionSyntax call:
                    current = call.Expression;
                    break;
                case ElementAccessExpressionSyntax element:
                    current = element.Expression;
                    break;
                case MemberBindingExpressionSyntax or ElementBindingExpressionSyntax:
                    return false;
                default:
                    return true;
            }
        }
    }

    /// <summary><c>Task.WaitAll(…)</c> or <c>WaitAll(…)</c> (with <c>using static</c>): a name the fixer can swap.</summary>
    private static bool IsStaticCallShape(SyntaxNode syntax)
        => syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: IdentifierNameSyntax } or IdentifierNameSyntax };

    /// <summary>
    /// Why <c>await</c> cannot go where the wait is, or null when it can: inside <c>lock</c>, a catch filter,
    /// an unsafe context, <c>catch</c>/<c>finally</c> before C# 6, or a function with ref or ref-struct locals
    /// (which cannot live across an await).
    /// </summary>
    private static string? FindAwaitBlocker(IOperation operation, SyntaxNode function)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (current is ILockOperation)
            {
                return "move it out of the 'lock' and await it";
            }

            // foreach over a span keeps a ref struct enumerator alive across the loop body (C# 13 allows
            // spans in async methods, but not across an await).
            if (current is IForEachLoopOperation { Collection: var collection } && TaskWaits.SkipConversions(collection)?.Type?.IsRefLikeType == true)
            {
                return "await it outside the loop over a span (its enumerator cannot live across an await)";
            }
        }

        var languageVersion = (operation.Syntax.SyntaxTree.Options as CSharpParseOptions)?.LanguageVersion ?? LanguageVersion.Latest;
        for (var node = operation.Syntax.Parent; node is not null && node != function; node = node.Parent)
        {
            switch (node)
            {
                case CatchFilterClauseSyntax:
                    return "move it out of the catch filter and await it";
                case UnsafeStatementSyntax:
                    return "move it out of the unsafe block and await it";
                case CatchClauseSyntax or FinallyClauseSyntax when languageVersion < LanguageVersion.CSharp6:
                    return "await it outside the catch or finally block (C# 6 allows it inside)";
            }
        }

        for (var node = function; node is not null; node = node.Parent)
        {
            var modifiers = node switch
            {
                MemberDeclarationSyntax member => member.Modifiers,
                LocalFunctionStatementSyntax local => local.Modifiers,
                _ => default,
            };
            if (modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                return "await it outside the unsafe context";
            }
        }

        foreach (var local in LocalsOf(operation))
        {
            if (local.IsRef || local.Type.IsRefLikeType)
            {
                return "await it (by hand: the ref or ref struct local '" + local.Name + "' cannot live across an await)";
            }
        }

        if (HasValueThatCannotCrossAwait(operation))
        {
            return "await it before this statement (a span, ref or interpolated string handler here cannot live across an await)";
        }

        return null;
    }

    /// <summary>
    /// Whether the statement around the wait evaluates, before the wait, a ref struct (a span, an interpolated
    /// string handler such as StringBuilder's) or a ref returned by a call: the compiler cannot keep those
    /// across the await (CS4007, CS8178), so <c>sb.Append($"{t.Result}")</c> cannot become <c>await</c>.
    /// </summary>
    private static bool HasValueThatCannotCrossAwait(IOperation wait)
    {
        var statement = wait;
        while (statement.Parent is { } parent
            && parent is not (IBlockOperation or ISwitchCaseOperation or IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            statement = parent;
        }

        var waitStart = wait.Syntax.SpanStart;
        var pending = new Stack<IOperation>();
        pending.Push(statement);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation || ReferenceEquals(current, wait))
            {
                continue;
            }

            if (current.Syntax.SpanStart < waitStart
                && (current.Type?.IsRefLikeType == true
                    || current is IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: IInvocationOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation }))
            {
                return true;
            }

            foreach (var child in current.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }

    /// <summary>The locals of the function around <paramref name="operation"/>, not those of nested functions.</summary>
    private static IEnumerable<ILocalSymbol> LocalsOf(IOperation operation)
    {
        var root = operation;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            root = current;
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        var pending = new Stack<IOperation>();
        foreach (var child in root.ChildOperations)
        {
            pending.Push(child);
        }

        while (pending.Count > 0)
        {
            var current = pending.Pop();
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IVariableDeclaratorOperation declarator:
                    yield return declarator.Symbol;
                    break;
                case ILocalReferenceOperation reference:
                    yield return reference.Local;
                    break;
            }

            foreach (var child in current.ChildOperations)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>A clause of a query expression other than the first <c>from</c>: its code runs in a synchronous lambda.</summary>
    private static bool IsInQueryClause(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function)
            {
                return function.Syntax is not AnonymousFunctionExpressionSyntax;
            }

            if (current is ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }
}
