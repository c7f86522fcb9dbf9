using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>
/// Knows the calls that offload a delegate to the thread pool (<c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>new TaskFactory(…).StartNew</c>, <c>TaskFactory&lt;T&gt;.StartNew</c>) and the lambdas passed to them.
/// Which of them TA0001 reports, and so which sites inside belong to it, the engine decides (docs/architecture.md, "Ownership").
/// </summary>
internal static class OffloadDelegates
{
    /// <summary>Whether <paramref name="method"/> is <c>Task.Run</c> or <c>TaskFactory(&lt;T&gt;).StartNew</c>.</summary>
    public static bool IsOffloadMethod(IMethodSymbol method)
    {
        // Names first: this runs for every candidate, and the namespace walk is the expensive part.
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        var isRun = method.Name == "Run" && method.IsStatic && type.Name == "Task" && type.Arity == 0;
        var isStartNew = method.Name == "StartNew" && !method.IsStatic && type.Name == "TaskFactory";
        return (isRun || isStartNew) && IsSystemThreadingTasks(type.ContainingNamespace);
    }

    /// <summary>
    /// The lambda or anonymous method passed as the delegate of an offload call, or null when the call is
    /// not one or its delegate is a method group or a delegate-typed value.
    /// </summary>
    public static IAnonymousFunctionOperation? GetOffloadDelegate(IInvocationOperation invocation)
    {
        if (!IsOffloadMethod(invocation.TargetMethod))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (SkipDelegateWrappers(argument.Value) is IAnonymousFunctionOperation function)
            {
                return function;
            }
        }

        return null;
    }

    /// <summary>The offload call (<c>Task.Run</c>/<c>StartNew</c>) that receives <paramref name="function"/> as its delegate, or null.</summary>
    public static IInvocationOperation? GetOffloadInvocation(IAnonymousFunctionOperation function)
    {
        IOperation current = function;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current.Parent is IArgumentOperation { Parent: IInvocationOperation invocation } && IsOffloadMethod(invocation.TargetMethod)
            ? invocation
            : null;
    }

    /// <summary>
    /// True when <paramref name="operation"/> runs inside a lambda or anonymous method passed to an offload call,
    /// at any depth (a lambda or local function nested in the offloaded delegate counts too).
    /// </summary>
    public static bool IsInsideOffloadDelegate(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation function && GetOffloadInvocation(function) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambda, anonymous method or method reference under delegate creations and conversions.</summary>
    public static IOperation SkipDelegateWrappers(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static bool IsSystemThreadingTasks(INamespaceSymbol? ns)
        => ns is { Name: "Tasks" }
            && ns.ContainingNamespace is { Name: "Threading" } threading
            && threading.ContainingNamespace is { Name: "System" } system
            && system.ContainingNamespace is { IsGlobalNamespace: true };
}
