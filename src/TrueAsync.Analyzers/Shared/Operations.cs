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
}
