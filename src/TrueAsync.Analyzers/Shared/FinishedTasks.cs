using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>What a finished-task expression hands back.</summary>
internal enum FinishedTaskKind
{
    /// <summary>Not a task known to be finished: a real task, a local, a conditional, a call of our own ...</summary>
    None,

    /// <summary><c>Task.FromResult(x)</c>, <c>ValueTask.FromResult(x)</c>, <c>new ValueTask&lt;T&gt;(x)</c>: succeeded with a value.</summary>
    Value,

    /// <summary><c>Task.CompletedTask</c>, <c>ValueTask.CompletedTask</c>, <c>new ValueTask()</c>, <c>default(ValueTask)</c>.</summary>
    Completed,

    /// <summary><c>new ValueTask&lt;T&gt;()</c>, <c>default(ValueTask&lt;T&gt;)</c>: succeeded with <c>default(T)</c>.</summary>
    DefaultValue,

    /// <summary><c>Task.FromException(e)</c>, <c>Task.FromException&lt;T&gt;(e)</c>, <c>ValueTask.FromException(e)</c>.</summary>
    Faulted,

    /// <summary><c>Task.FromCanceled(token)</c> and its generic and ValueTask forms.</summary>
    Canceled,
}

/// <summary>
/// Recognises tasks that are finished when they are created (<c>Task.FromResult</c>, <c>Task.CompletedTask</c>,
/// <c>new ValueTask&lt;T&gt;(value)</c>, ...). TA0004 owns blocking calls whose result is wrapped in one: in a non-async
/// method that returns it, and in <c>await Task.FromResult(blocking())</c> inside async code. TA0003 calls
/// <see cref="IsInsideAwaitedFinishedTask"/> to stay silent on the latter.
/// </summary>
internal static class FinishedTasks
{
    /// <summary>
    /// Classifies <paramref name="operation"/> (implicit conversions around it are skipped) as a finished-task
    /// expression, and gives the wrapped value (<c>x</c> in <c>Task.FromResult(x)</c>) or exception when there is one.
    /// </summary>
    public static FinishedTaskKind Classify(IOperation? operation, out IOperation? argument)
    {
        argument = null;
        operation = SkipImplicitConversions(operation);
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { IsStatic: true } method } invocation when IsTaskOrValueTask(method.ContainingType, out _):
            {
                var kind = method.Name switch
                {
                    "FromResult" => FinishedTaskKind.Value,
                    "FromException" => FinishedTaskKind.Faulted,
                    "FromCanceled" => FinishedTaskKind.Canceled,
                    _ => FinishedTaskKind.None,
                };
                if (kind == FinishedTaskKind.None || invocation.Arguments.Length != 1)
                {
                    return FinishedTaskKind.None;
                }

                argument = invocation.Arguments[0].Value;
                return kind;
            }

            case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property }
                when IsTaskOrValueTask(property.ContainingType, out _):
                return FinishedTaskKind.Completed;

            case IObjectCreationOperation { Constructor: { } constructor } creation
                when IsTaskOrValueTask(constructor.ContainingType, out var isValueTask) && isValueTask:
                if (creation.Arguments.Length == 0)
                {
                    return constructor.ContainingType.IsGenericType ? FinishedTaskKind.DefaultValue : FinishedTaskKind.Completed;
                }

                // new ValueTask<T>(T result) only: the other constructors wrap a Task or an IValueTaskSource that may still run.
                if (creation.Arguments.Length == 1
                    && constructor.ContainingType.IsGenericType
                    && constructor.OriginalDefinition.Parameters.Length == 1
                    && constructor.OriginalDefinition.Parameters[0].Type is ITypeParameterSymbol)
                {
                    argument = creation.Arguments[0].Value;
                    return FinishedTaskKind.Value;
                }

                return FinishedTaskKind.None;

            case IDefaultValueOperation { Type: INamedTypeSymbol type } when IsTaskOrValueTask(type, out var isValue) && isValue:
                return type.IsGenericType ? FinishedTaskKind.DefaultValue : FinishedTaskKind.Completed;

            default:
                return FinishedTaskKind.None;
        }
    }

    /// <summary>
    /// Whether <paramref name="operation"/> makes a task that has already succeeded with a value
    /// (<c>Task.FromResult(x)</c>, <c>ValueTask.FromResult(x)</c>, <c>new ValueTask&lt;T&gt;(x)</c>).
    /// </summary>
    public static bool IsFinishedTaskFactory(IOperation operation) => Classify(operation, out _) == FinishedTaskKind.Value;

    /// <summary>
    /// The <c>await</c> of <c>await Task.FromResult(…)</c> (or <c>ValueTask.FromResult</c>, <c>new ValueTask&lt;T&gt;(…)</c>)
    /// when <paramref name="operation"/> is evaluated for the wrapped value, in the same function; otherwise null.
    /// <c>.ConfigureAwait(…)</c> between the factory and the await counts as awaited.
    /// </summary>
    public static IAwaitOperation? GetAwaitedFinishedTask(IOperation operation)
    {
        for (var current = operation; current.Parent is { } parent; current = parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IArgumentOperation argument when argument.Parent is { } factory
                    && Classify(factory, out var wrapped) == FinishedTaskKind.Value
                    && ReferenceEquals(wrapped, argument.Value):
                    return GetAwaitOf(factory);
            }
        }

        return null;
    }

    /// <summary>
    /// For TA0003: true when <paramref name="operation"/> (a blocking call) is the value wrapped by an awaited
    /// finished task, <c>await Task.FromResult(db.Users.ToList())</c>. TA0004 reports that call; TA0003 stays silent.
    /// </summary>
    public static bool IsInsideAwaitedFinishedTask(IOperation operation) => GetAwaitedFinishedTask(operation) is not null;

    /// <summary>A task, a value task, or any type with an instance <c>GetAwaiter()</c>.</summary>
    public static bool IsAwaitable(ITypeSymbol type)
    {
        if (IsTaskOrValueTask(type, out _))
        {
            return true;
        }

        foreach (var member in type.GetMembers("GetAwaiter"))
        {
            if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.Tasks.Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public static bool IsTaskOrValueTask(ITypeSymbol? type, out bool isValueTask)
    {
        isValueTask = false;
        if (type is not INamedTypeSymbol { Arity: <= 1 } named || named.ContainingType is not null)
        {
            return false;
        }

        switch (named.Name)
        {
            case "Task":
                break;
            case "ValueTask":
                isValueTask = true;
                break;
            default:
                return false;
        }

        return named.ContainingNamespace is { Name: "Tasks" } tasks
            && tasks.ContainingNamespace is { Name: "Threading" } threading
            && threading.ContainingNamespace is { Name: "System" } system
            && system.ContainingNamespace is { IsGlobalNamespace: true };
    }

    private static IAwaitOperation? GetAwaitOf(IOperation factory)
    {
        var current = factory;
        while (current.Parent is IConversionOperation { IsImplicit: true } conversion)
        {
            current = conversion;
        }

        if (current.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure
            && ReferenceEquals(configure.Instance, current))
        {
            current = configure;
        }

        return current.Parent as IAwaitOperation;
    }

    private static IOperation? SkipImplicitConversions(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
