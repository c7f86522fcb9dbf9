using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>The ways code blocks a thread until a task completes.</summary>
internal enum TaskWaitKind
{
    /// <summary><c>task.Result</c> on <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    Result,

    /// <summary><c>task.Wait(…)</c>, any overload.</summary>
    Wait,

    /// <summary><c>x.GetAwaiter().GetResult()</c> on a Task or ValueTask awaiter, also after <c>ConfigureAwait</c>.</summary>
    GetAwaiterGetResult,

    /// <summary><c>Task.WaitAll(…)</c>, any overload.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(…)</c>, any overload.</summary>
    WaitAny,
}

/// <summary>One recognised task wait, taken apart.</summary>
internal sealed class TaskWait
{
    public TaskWait(
        TaskWaitKind kind,
        IOperation operation,
        IOperation? awaitable,
        IOperation? task,
        IInvocationOperation? configureAwait,
        bool isValueTask,
        IArgumentOperation? tasks,
        IArgumentOperation? timeout,
        IArgumentOperation? cancellationToken)
    {
        Kind = kind;
        Operation = operation;
        Awaitable = awaitable;
        Task = task;
        ConfigureAwait = configureAwait;
        IsValueTask = isValueTask;
        Tasks = tasks;
        Timeout = timeout;
        CancellationToken = cancellationToken;
    }

    public TaskWaitKind Kind { get; }

    /// <summary>The whole wait: the <c>Result</c> property reference or the <c>Wait</c>/<c>GetResult</c>/<c>WaitAll</c>/<c>WaitAny</c> invocation.</summary>
    public IOperation Operation { get; }

    /// <summary>
    /// What <c>await</c> would take in place of the wait: the receiver of <c>Result</c>/<c>Wait</c>, or the receiver
    /// of <c>GetAwaiter()</c> with any <c>ConfigureAwait(…)</c> kept. Null for <c>WaitAll</c>/<c>WaitAny</c>.
    /// </summary>
    public IOperation? Awaitable { get; }

    /// <summary>The task being waited on: <see cref="Awaitable"/> without a <c>ConfigureAwait(…)</c> call. Null for <c>WaitAll</c>/<c>WaitAny</c>.</summary>
    public IOperation? Task { get; }

    /// <summary>The <c>ConfigureAwait(…)</c> call in a <c>GetAwaiter().GetResult()</c> chain, if there is one.</summary>
    public IInvocationOperation? ConfigureAwait { get; }

    /// <summary>Whether the chain says <c>ConfigureAwait(false)</c> (a constant <c>false</c> argument).</summary>
    public bool ConfigureAwaitFalse => ConfigureAwait is { Arguments.Length: 1 } call
        && call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: false };

    /// <summary>Whether the wait reads a <c>ValueTask</c>/<c>ValueTask&lt;T&gt;</c> (or one of their awaiters).</summary>
    public bool IsValueTask { get; }

    /// <summary>For <c>WaitAll</c>/<c>WaitAny</c>: the argument that carries the tasks.</summary>
    public IArgumentOperation? Tasks { get; }

    /// <summary>The timeout argument (<c>int</c> milliseconds or <c>TimeSpan</c>), when one is passed.</summary>
    public IArgumentOperation? Timeout { get; }

    /// <summary>The cancellation token argument, when one is passed explicitly.</summary>
    public IArgumentOperation? CancellationToken { get; }

    public bool HasTimeoutOrToken => Timeout is not null || CancellationToken is not null;

    /// <summary>
    /// The task operands one by one: <see cref="Task"/> for a single wait; for <c>WaitAll</c>/<c>WaitAny</c>
    /// the elements of a <c>params</c> array or an inline array/collection, else the collection expression itself.
    /// </summary>
    public ImmutableArray<IOperation> GetTaskOperands()
    {
        if (Task is not null)
        {
            return ImmutableArray.Create(Task);
        }

        return Tasks is null ? ImmutableArray<IOperation>.Empty : TaskWaits.GetCollectionElements(Tasks.Value);
    }
}

/// <summary>
/// Recognises task waits (<c>.Result</c>, <c>.Wait(…)</c>, <c>.GetAwaiter().GetResult()</c>, <c>Task.WaitAll</c>,
/// <c>Task.WaitAny</c>). Create one per compilation with <see cref="Create"/>: it resolves the task and awaiter types once.
/// </summary>
internal sealed class TaskWaits
{
    private readonly INamedTypeSymbol task;
    private readonly INamedTypeSymbol? taskOfT;
    private readonly INamedTypeSymbol? valueTask;
    private readonly INamedTypeSymbol? valueTaskOfT;
    private readonly INamedTypeSymbol? cancellationToken;
    private readonly HashSet<INamedTypeSymbol> taskAwaiters;
    private readonly HashSet<INamedTypeSymbol> valueTaskAwaiters;

    private TaskWaits(Compilation compilation, INamedTypeSymbol task)
    {
        this.task = task;
        taskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        valueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        cancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        taskAwaiters = Resolve(
            compilation,
            "System.Runtime.CompilerServices.TaskAwaiter",
            "System.Runtime.CompilerServices.TaskAwaiter`1",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter");
        valueTaskAwaiters = Resolve(
            compilation,
            "System.Runtime.CompilerServices.ValueTaskAwaiter",
            "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
            "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter",
            "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter");
    }

    /// <summary><c>System.Threading.Tasks.Task</c> in this compilation.</summary>
    public INamedTypeSymbol TaskType => task;

    /// <summary><c>System.Threading.Tasks.Task&lt;T&gt;</c> in this compilation, unconstructed.</summary>
    public INamedTypeSymbol? TaskOfTType => taskOfT;

    /// <summary>The waits for <paramref name="compilation"/>, or null when it has no <c>System.Threading.Tasks.Task</c>.</summary>
    public static TaskWaits? Create(Compilation compilation)
    {
        var task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        return task is null ? null : new TaskWaits(compilation, task);
    }

    /// <summary>The cheap first test: whether a member with this name can be a wait at all.</summary>
    public static bool IsWaitMemberName(string name)
        => name is "Result" or "Wait" or "GetResult" or "WaitAll" or "WaitAny";

    /// <summary>Whether <paramref name="type"/> is <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskLike(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, task)
            || SymbolEqualityComparer.Default.Equals(definition, taskOfT)
            || SymbolEqualityComparer.Default.Equals(definition, valueTask)
            || SymbolEqualityComparer.Default.Equals(definition, valueTaskOfT);
    }

    /// <summary>Whether <paramref name="operation"/> is a task wait (any kind).</summary>
    public bool IsWait(IOperation operation) => TryGetWait(operation) is not null;

    /// <summary>
    /// Describes <paramref name="operation"/> when it is a task wait: an <see cref="IPropertyReferenceOperation"/>
    /// for <c>Result</c>, or an <see cref="IInvocationOperation"/> for the others. Null otherwise.
    /// </summary>
    public TaskWait? TryGetWait(IOperation operation)
    {
        switch (operation)
        {
            case IPropertyReferenceOperation { Property: { Name: "Result", IsStatic: false } property } reference:
                return TryGetResult(reference, property);
            case IInvocationOperation invocation when IsWaitMemberName(invocation.TargetMethod.Name):
                return invocation.TargetMethod.Name switch
                {
                    "Wait" => TryGetWaitCall(invocation),
                    "GetResult" => TryGetGetResult(invocation),
                    _ => TryGetWaitAllOrAny(invocation),
                };
            default:
                return null;
        }
    }

    private TaskWait? TryGetResult(IPropertyReferenceOperation reference, IPropertySymbol property)
    {
        var owner = property.ContainingType.OriginalDefinition;
        var isTask = SymbolEqualityComparer.Default.Equals(owner, taskOfT);
        var isValueTask = !isTask && SymbolEqualityComparer.Default.Equals(owner, valueTaskOfT);
        if (!isTask && !isValueTask)
        {
            return null;
        }

        var receiver = reference.Instance;
        return new TaskWait(TaskWaitKind.Result, reference, receiver, receiver, null, isValueTask, null, null, null);
    }

    private TaskWait? TryGetWaitCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, task))
        {
            return null;
        }

        var (timeout, token) = GetTimeoutAndToken(invocation, skipOrdinal: -1);
        var receiver = invocation.Instance;
        return new TaskWait(TaskWaitKind.Wait, invocation, receiver, receiver, null, false, null, timeout, token);
    }

    private TaskWait? TryGetGetResult(IInvocationOperation invocation)
    {
        var awaiterType = invocation.TargetMethod.ContainingType?.OriginalDefinition;
        if (awaiterType is null || invocation.TargetMethod.IsStatic)
        {
            return null;
        }

        var isValueTask = valueTaskAwaiters.Contains(awaiterType);
        if (!isValueTask && !taskAwaiters.Contains(awaiterType))
        {
            return null;
        }

        // Only the direct chain x.GetAwaiter().GetResult(): an awaiter kept in a variable is the
        // awaiter pattern written by hand (IsCompleted/OnCompleted first), not a blocking wait.
        if (SkipConversions(invocation.Instance) is not IInvocationOperation { TargetMethod.Name: "GetAwaiter" } getAwaiter)
        {
            return null;
        }

        var awaitable = getAwaiter.Instance
            ?? (getAwaiter.TargetMethod.IsExtensionMethod && getAwaiter.Arguments.Length > 0 ? getAwaiter.Arguments[0].Value : null);
        awaitable = SkipConversions(awaitable);

        IInvocationOperation? configureAwait = null;
        var taskOperand = awaitable;
        if (awaitable is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && IsTaskLike(configure.TargetMethod.ContainingType))
        {
            configureAwait = configure;
            taskOperand = configure.Instance;
        }

        return new TaskWait(TaskWaitKind.GetAwaiterGetResult, invocation, awaitable, taskOperand, configureAwait, isValueTask, null, null, null);
    }

    private TaskWait? TryGetWaitAllOrAny(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, task))
        {
            return null;
        }

        IArgumentOperation? tasks = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                tasks = argument;
            }
        }

        var (timeout, token) = GetTimeoutAndToken(invocation, skipOrdinal: 0);
        var kind = method.Name == "WaitAll" ? TaskWaitKind.WaitAll : TaskWaitKind.WaitAny;
        return new TaskWait(kind, invocation, null, null, null, false, tasks, timeout, token);
    }

    private (IArgumentOperation? Timeout, IArgumentOperation? Token) GetTimeoutAndToken(IInvocationOperation invocation, int skipOrdinal)
    {
        IArgumentOperation? timeout = null;
        IArgumentOperation? token = null;
        foreach (var argument in invocation.Arguments)
        {
            // An optional token left out (WaitAll(IEnumerable<Task>, CancellationToken = default)) is no token.
            if (argument.Parameter is not { } parameter || parameter.Ordinal == skipOrdinal || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (SymbolEqualityComparer.Default.Equals(parameter.Type, cancellationToken))
            {
                token = argument;
            }
            else
            {
                timeout = argument;
            }
        }

        return (timeout, token);
    }

    /// <summary>
    /// The elements of a collection given inline: a <c>params</c> array, <c>new[] { … }</c>, a collection
    /// initializer (<c>new List&lt;Task&gt; { … }</c>) or a collection expression (<c>[a, b]</c>). Otherwise the
    /// value itself, as one element.
    /// </summary>
    public static ImmutableArray<IOperation> GetCollectionElements(IOperation value)
    {
        value = SkipConversions(value) ?? value;
        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                return initializer.ElementValues;
            case IObjectCreationOperation { Initializer: { } initializer }:
                var builder = ImmutableArray.CreateBuilder<IOperation>();
                foreach (var element in initializer.Initializers)
                {
                    if (element is IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        builder.Add(add.Arguments[0].Value);
                    }
                }

                return builder.ToImmutable();
        }

        // Collection expressions have no operation node in the Roslyn version this package targets
        // (4.8), so their elements are read from the syntax.
        if (value.Syntax is CollectionExpressionSyntax collection && value.SemanticModel is { } model)
        {
            var builder = ImmutableArray.CreateBuilder<IOperation>();
            foreach (var element in collection.Elements)
            {
                if (element is ExpressionElementSyntax { Expression: { } expression } && model.GetOperation(expression) is { } operation)
                {
                    builder.Add(operation);
                }
            }

            return builder.ToImmutable();
        }

        return ImmutableArray.Create(value);
    }

    /// <summary><paramref name="operation"/> without implicit conversions around it (<c>Task&lt;int&gt;</c> to <c>Task</c>, …).</summary>
    public static IOperation? SkipConversions(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static HashSet<INamedTypeSymbol> Resolve(Compilation compilation, params string[] metadataNames)
    {
        var set = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in metadataNames)
        {
            if (compilation.GetTypeByMetadataName(name) is { } type)
            {
                set.Add(type);
            }
        }

        return set;
    }
}
