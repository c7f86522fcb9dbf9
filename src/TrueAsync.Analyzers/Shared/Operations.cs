using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace TrueAsync.Analyzers.Shared;

/// <summary>Small questions about operation trees with one answer each, shared by analyzers and fixers.</summary>
internal static class Operations
{
    /// <summary>
    /// <paramref name="operation"/> without every conversion around it, implicit or explicit: the value a rewrite
    /// works on. <see cref="TaskWaits.SkipConversions"/> strips implicit ones only, for a different question.
    /// </summary>
    public static IOperation StripConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>The operations of a function body, without those of nested lambdas and local functions.</summary>
    public static IEnumerable<IOperation> OfFunctionBody(IOperation body)
    {
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
